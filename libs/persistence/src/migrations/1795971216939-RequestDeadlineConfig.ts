import { MigrationInterface, QueryRunner } from 'typeorm';

export class RequestDeadlineConfig1795971216939 implements MigrationInterface {
  name = 'RequestDeadlineConfig1795971216939';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistance_requests" ADD "deadline_config" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistance_requests" DROP COLUMN "deadline_config"`);
  }
}
