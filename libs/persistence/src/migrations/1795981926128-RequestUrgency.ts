import { MigrationInterface, QueryRunner } from 'typeorm';

export class RequestUrgency1795981926128 implements MigrationInterface {
  name = 'RequestUrgency1795981926128';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistance_requests" ADD "urgent" boolean NOT NULL DEFAULT false`);
    // Requests submitted before the column: their urgency is in the submission as it was filed.
    await queryRunner.query(
      `UPDATE "assistance_requests" r SET "urgent" = true
         FROM "request_submissions" s WHERE s.request_id = r.id AND s.body->>'urgency' = 'urgent'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistance_requests" DROP COLUMN "urgent"`);
  }
}
