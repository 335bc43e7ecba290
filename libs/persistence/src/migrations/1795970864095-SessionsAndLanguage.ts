import { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionsAndLanguage1795970864095 implements MigrationInterface {
  name = 'SessionsAndLanguage1795970864095';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(40), CONSTRAINT "PK_e93e031a5fed190d4789b6bfd83" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_user_sessions_user" ON "user_sessions"  ("user_id") `);
    await queryRunner.query(`ALTER TABLE "users" ADD "preferred_language" character varying(5)`);
    await queryRunner.query(
      `ALTER TABLE "user_sessions" ADD CONSTRAINT "fk_user_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_sessions" DROP CONSTRAINT "fk_user_sessions_user"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "preferred_language"`);
    await queryRunner.query(`DROP INDEX "public"."idx_user_sessions_user"`);
    await queryRunner.query(`DROP TABLE "user_sessions"`);
  }
}
