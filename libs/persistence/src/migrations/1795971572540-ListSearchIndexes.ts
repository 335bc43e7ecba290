import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Text search on the request list (`q=`: title or reference ILIKE '%…%') without reading the
 * whole table: pg_trgm GIN indexes answer ILIKE with the same semantics (the heap row is rechecked),
 * for any pattern of 3 or more characters. Hand-written: TypeORM cannot declare operator classes.
 */
export class ListSearchIndexes1795971572540 implements MigrationInterface {
  name = 'ListSearchIndexes1795971572540';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "idx_requests_title_trgm" ON "assistance_requests" USING gin ("title" gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_requests_reference_trgm" ON "assistance_requests" USING gin ("reference" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_requests_reference_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."idx_requests_title_trgm"`);
  }
}
