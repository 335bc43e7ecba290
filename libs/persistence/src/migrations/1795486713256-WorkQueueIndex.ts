import { MigrationInterface, QueryRunner } from 'typeorm';

export class WorkQueueIndex1795486713256 implements MigrationInterface {
  name = 'WorkQueueIndex1795486713256';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_requests_work_queue" ON "assistance_requests"  ("owner_role", "member_state", "next_deadline_at", "id") WHERE stage <> 'closed'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_requests_work_queue"`);
  }
}
