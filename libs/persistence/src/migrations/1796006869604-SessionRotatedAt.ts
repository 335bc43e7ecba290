import { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionRotatedAt1796006869604 implements MigrationInterface {
  name = 'SessionRotatedAt1796006869604';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_sessions" ADD "rotated_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_sessions" DROP COLUMN "rotated_at"`);
  }
}
