import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assignment (issue 12): the assignee of the body working on each request, indexed for "mine" over
 * open requests, and the two supervisor roles. Generated; the role CHECK is added by hand because
 * TypeORM does not compare CHECK expressions (it matches them by name).
 */
export class Assignment1795981956242 implements MigrationInterface {
  name = 'Assignment1795981956242';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistance_requests" ADD "assignee_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "idx_requests_assignee" ON "assistance_requests"  ("assignee_id", "next_deadline_at", "id") WHERE stage <> 'closed'`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "chk_users_role"`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "chk_users_role" CHECK (role IN ('member_state','cted_officer','unodc_manager','cted_supervisor','unodc_supervisor','admin'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "chk_users_role"`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "chk_users_role" CHECK (role IN ('member_state','cted_officer','unodc_manager','admin'))`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_requests_assignee"`);
    await queryRunner.query(`ALTER TABLE "assistance_requests" DROP COLUMN "assignee_id"`);
  }
}
