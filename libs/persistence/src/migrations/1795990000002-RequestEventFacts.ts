import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The facts the event-based reports count, one narrow row each, with the request's reference and
 * State: ratifications, laws and officials trained of `record_indicators` (outcomes), pledges of
 * `record_funding` (contributions), missed deadlines of `overdue` and `referral_overdue`
 * (deadlines-missed). Kept in the same transaction as the events by statement-level triggers on
 * request_events and assistance_requests, each recomputing the facts of the requests its
 * statement touched; so those reports read an index range of this table instead of scattered
 * events of the 1.3 GB log joined with the requests (docs/PERFORMANCE.md, P5). Values are kept as
 * the events hold them (dates and amounts as text), cast by the reports as before. The table is
 * generated; functions, triggers and backfill are hand-written.
 */
const FACT_TYPES = `('record_indicators', 'record_funding', 'overdue', 'referral_overdue')`;
const jsonArray = (arr: string) => `CASE WHEN jsonb_typeof(${arr}) = 'array' THEN ${arr} ELSE '[]'::jsonb END`;

const FACTS_OF = (requestFilter: string) => `
  INSERT INTO request_event_facts (event_id, kind, ord, request_id, reference, member_state, occurred_at, key, fact_on, n, amount)
  SELECT e.id, f.kind, f.ord, e.request_id, r.reference, r.member_state, e.occurred_at, f.key, f.fact_on, f.n, f.amount
    FROM request_events e
    JOIN assistance_requests r ON r.id = e.request_id
    CROSS JOIN LATERAL (
      SELECT 'ratification' AS kind, x.ord::int AS ord, x.v ->> 'instrument' AS key, x.v ->> 'depositedOn' AS fact_on, NULL::bigint AS n, NULL::text AS amount
        FROM jsonb_array_elements(${jsonArray(`e.payload -> 'ratifications'`)}) WITH ORDINALITY AS x(v, ord)
       WHERE e.type = 'record_indicators'
      UNION ALL
      SELECT 'law', x.ord::int, x.v ->> 'status', x.v ->> 'date', NULL, NULL
        FROM jsonb_array_elements(${jsonArray(`e.payload -> 'laws'`)}) WITH ORDINALITY AS x(v, ord)
       WHERE e.type = 'record_indicators'
      UNION ALL
      -- Officials trained, when a positive number (as the report counts them).
      SELECT 'trained', 1, NULL, NULL, (e.payload ->> 'officialsTrained')::numeric::bigint, NULL
       WHERE e.type = 'record_indicators'
         AND CASE WHEN jsonb_typeof(e.payload -> 'officialsTrained') = 'number' THEN (e.payload ->> 'officialsTrained')::numeric > 0 ELSE false END
      UNION ALL
      -- A pledge: the donor as written, the amount and the pledge's reference as the event holds them.
      SELECT 'funding', 1, e.payload ->> 'donor', e.payload ->> 'pledgeRef', NULL, e.payload ->> 'amountUsd'
       WHERE e.type = 'record_funding'
      UNION ALL
      -- A missed deadline, under the stage it counts for (a referral clock's: the external referral's).
      SELECT 'missed', 1, CASE WHEN e.type = 'referral_overdue' THEN 'external_referral' ELSE e.payload ->> 'stage' END, NULL, NULL, NULL
       WHERE e.type IN ('overdue', 'referral_overdue')
    ) f
   WHERE e.type IN ${FACT_TYPES} AND ${requestFilter}
  ON CONFLICT DO NOTHING`;

export class RequestEventFacts1795990000002 implements MigrationInterface {
  name = 'RequestEventFacts1795990000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "request_event_facts" ("event_id" bigint NOT NULL, "kind" character varying(20) NOT NULL, "ord" integer NOT NULL, "request_id" uuid NOT NULL, "reference" character varying(40) NOT NULL, "member_state" character(3) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "key" text, "fact_on" text, "n" bigint, "amount" text, CONSTRAINT "PK_request_event_facts" PRIMARY KEY ("event_id", "kind", "ord"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_request_event_facts_request" ON "request_event_facts" ("request_id") `);
    await queryRunner.query(
      `CREATE INDEX "idx_request_event_facts_kind_time" ON "request_event_facts" ("kind", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_request_event_facts_state" ON "request_event_facts" ("member_state", "kind", "occurred_at") `,
    );
    await queryRunner.query(`
      CREATE FUNCTION request_event_facts_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(cardinality(ids), 0) = 0 THEN RETURN; END IF;
        DELETE FROM request_event_facts WHERE request_id = ANY (ids);
        ${FACTS_OF('e.request_id = ANY (ids)')};
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION request_event_facts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM request_event_facts;
        ${FACTS_OF('true')};
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION request_event_facts_on_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM request_event_facts_refresh(ARRAY(SELECT DISTINCT n.request_id FROM inserted n WHERE n.type IN ${FACT_TYPES}));
        RETURN NULL;
      END $$`);
    // The request's reference or State (or its row appearing after its events).
    await queryRunner.query(`
      CREATE FUNCTION request_event_facts_on_requests() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM request_event_facts_refresh(ARRAY(
            SELECT n.id FROM inserted n WHERE EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = n.id AND e.type IN ${FACT_TYPES})));
        ELSE
          PERFORM request_event_facts_refresh(ARRAY(
            SELECT n.id FROM inserted n JOIN deleted o ON o.id = n.id
             WHERE (n.member_state IS DISTINCT FROM o.member_state OR n.reference IS DISTINCT FROM o.reference)
               AND EXISTS (SELECT 1 FROM request_event_facts f WHERE f.request_id = n.id)));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER request_events_facts AFTER INSERT ON "request_events" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_event_facts_on_events()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER assistance_requests_facts_insert AFTER INSERT ON "assistance_requests" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_event_facts_on_requests()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER assistance_requests_facts_update AFTER UPDATE ON "assistance_requests" REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_event_facts_on_requests()`,
    );
    await queryRunner.query(`SELECT request_event_facts_rebuild()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "assistance_requests_facts_update" ON "assistance_requests"`);
    await queryRunner.query(`DROP TRIGGER "assistance_requests_facts_insert" ON "assistance_requests"`);
    await queryRunner.query(`DROP TRIGGER "request_events_facts" ON "request_events"`);
    await queryRunner.query(`DROP FUNCTION request_event_facts_on_requests()`);
    await queryRunner.query(`DROP FUNCTION request_event_facts_on_events()`);
    await queryRunner.query(`DROP FUNCTION request_event_facts_rebuild()`);
    await queryRunner.query(`DROP FUNCTION request_event_facts_refresh(uuid[])`);
    await queryRunner.query(`DROP TABLE "request_event_facts"`);
  }
}
