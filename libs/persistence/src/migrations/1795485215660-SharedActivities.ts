import { MigrationInterface, QueryRunner } from 'typeorm';

export class SharedActivities1795485215660 implements MigrationInterface {
  name = 'SharedActivities1795485215660';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Hand-reviewed: existing rows are all ordinary activities (one row each), so their
    // activity_ref is <reference>/<key>; backfilled before NOT NULL is set.
    await queryRunner.query(`ALTER TABLE "delivery_activities" ADD "activity_ref" text`);
    await queryRunner.query(`UPDATE "delivery_activities" SET "activity_ref" = "reference" || '/' || "key"`);
    await queryRunner.query(`ALTER TABLE "delivery_activities" ALTER COLUMN "activity_ref" SET NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "idx_delivery_activities_activity_ref" ON "delivery_activities"  ("activity_ref") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_delivery_activities_activity_ref"`);
    await queryRunner.query(`ALTER TABLE "delivery_activities" DROP COLUMN "activity_ref"`);
  }
}
