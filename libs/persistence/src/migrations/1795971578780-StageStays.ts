import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stage stays as rows, kept by a trigger in the same transaction as the stage_changed event that
 * ends each stay (so every writer, the event store, replays and bulk loads alike, keeps them), and
 * filled once from the existing log. The `stage-times` report then reads an index range on left_at
 * instead of sorting the whole log (docs/PERFORMANCE.md). The table is generated; the trigger and
 * the backfill are hand-written.
 */
export class StageStays1795971578780 implements MigrationInterface {
  name = 'StageStays1795971578780';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "request_stage_stays" ("request_id" uuid NOT NULL, "seq" integer NOT NULL, "reference" character varying(40), "stage" character varying(30), "entered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "left_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_c3df749f4bda45cd4e839665f3e" PRIMARY KEY ("request_id", "seq"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_request_stage_stays_left" ON "request_stage_stays"  ("left_at", "stage", "entered_at", "reference") `,
    );
    // A stay runs from the previous submitted or stage_changed event of the stream (both occur only
    // on the request's own stream) to the stage_changed event. One set-based statement per INSERT
    // statement on request_events (a transition table), so a bulk load costs one join, not a
    // function call per row. Never fails the event's insert: a repeated row is ignored, a missing
    // reference stays NULL (as the report's lookup would give).
    await queryRunner.query(`
      CREATE FUNCTION request_stage_stays_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The transition table is read once, on the outer side; every lookup is per row by index, so
        -- the plan cannot rescan it whatever its size (it has no statistics).
        INSERT INTO request_stage_stays (request_id, seq, reference, stage, entered_at, left_at)
        SELECT n.request_id, n.seq,
               coalesce((SELECT r.reference FROM assistance_requests r WHERE r.id = n.request_id),
                        (SELECT s.payload ->> 'reference' FROM request_events s WHERE s.stream = n.stream AND s.seq = 1 AND s.type = 'submitted')),
               n.payload ->> 'from', p.occurred_at, n.occurred_at
          FROM inserted n
          CROSS JOIN LATERAL (
            SELECT e.occurred_at FROM request_events e
             WHERE e.stream = n.stream AND e.seq < n.seq AND e.type IN ('submitted', 'stage_changed')
             ORDER BY e.seq DESC LIMIT 1) p
         WHERE n.type = 'stage_changed'
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER request_events_stage_stays AFTER INSERT ON "request_events" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_stage_stays_record()`,
    );
    await queryRunner.query(`
      INSERT INTO request_stage_stays (request_id, seq, reference, stage, entered_at, left_at)
      SELECT t.request_id, t.seq, coalesce(r.reference, s.payload ->> 'reference'), t.stage, t.entered_at, t.occurred_at
        FROM (SELECT p.request_id, p.stream, p.seq, p.type, p.occurred_at, p.payload ->> 'from' AS stage,
                     lag(p.occurred_at) OVER (PARTITION BY p.stream ORDER BY p.seq) AS entered_at
                FROM request_events p WHERE p.type IN ('submitted', 'stage_changed')) t
        LEFT JOIN assistance_requests r ON r.id = t.request_id
        LEFT JOIN request_events s ON s.stream = t.stream AND s.seq = 1 AND s.type = 'submitted'
       WHERE t.type = 'stage_changed' AND t.entered_at IS NOT NULL
      ON CONFLICT DO NOTHING`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "request_events_stage_stays" ON "request_events"`);
    await queryRunner.query(`DROP FUNCTION request_stage_stays_record()`);
    await queryRunner.query(`DROP INDEX "public"."idx_request_stage_stays_left"`);
    await queryRunner.query(`DROP TABLE "request_stage_stays"`);
  }
}
