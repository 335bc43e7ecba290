import { MigrationInterface, QueryRunner } from 'typeorm';

export class SharedActivityClaims1795972754610 implements MigrationInterface {
  name = 'SharedActivityClaims1795972754610';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "shared_activity_claims" ("shared_key" character varying(60) NOT NULL, "request_id" uuid NOT NULL, "reference" character varying(40) NOT NULL, "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ac7598c61dffb1daffdb9cd7d84" PRIMARY KEY ("shared_key"))`,
    );
    // Shared activities started before claims existed are claimed by one of the requests they serve (it started them).
    await queryRunner.query(`INSERT INTO "shared_activity_claims" ("shared_key", "request_id", "reference")
            SELECT DISTINCT ON (activity_ref) substring(activity_ref from 8), request_id, reference
              FROM "delivery_activities" WHERE activity_ref LIKE 'shared/%' ORDER BY activity_ref, request_id`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "shared_activity_claims"`);
  }
}
