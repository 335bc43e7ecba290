import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * request_event_facts.dup: a pledge whose pledgeRef its request records more than once (the domain
 * refuses it), so the contributions drill-down de-duplicates only those rows and counts and sorts
 * the others once. The refresh and rebuild functions of RequestEventFacts now set it (per request,
 * as they recompute a request's facts at once); the column is filled from the existing rows.
 */
const FACT_TYPES = `('record_indicators', 'record_funding', 'overdue', 'referral_overdue')`;
const jsonArray = (arr: string) => `CASE WHEN jsonb_typeof(${arr}) = 'array' THEN ${arr} ELSE '[]'::jsonb END`;

/** What RequestEventFacts's functions insert, with the dup column (withDup) or as before it. */
const FACTS_OF = (requestFilter: string, withDup: boolean) => `
  INSERT INTO request_event_facts (event_id, kind, ord, request_id, reference, member_state, occurred_at, key, fact_on, n, amount${withDup ? ', dup' : ''})
  SELECT x.*${withDup ? ", x.kind = 'funding' AND count(*) OVER (PARTITION BY x.request_id, x.kind, coalesce(x.fact_on, '')) > 1" : ''}
    FROM (
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
          SELECT 'trained', 1, NULL, NULL, (e.payload ->> 'officialsTrained')::numeric::bigint, NULL
           WHERE e.type = 'record_indicators'
             AND CASE WHEN jsonb_typeof(e.payload -> 'officialsTrained') = 'number' THEN (e.payload ->> 'officialsTrained')::numeric > 0 ELSE false END
          UNION ALL
          SELECT 'funding', 1, e.payload ->> 'donor', e.payload ->> 'pledgeRef', NULL, e.payload ->> 'amountUsd'
           WHERE e.type = 'record_funding'
          UNION ALL
          SELECT 'missed', 1, CASE WHEN e.type = 'referral_overdue' THEN 'external_referral' ELSE e.payload ->> 'stage' END, NULL, NULL, NULL
           WHERE e.type IN ('overdue', 'referral_overdue')
        ) f
       WHERE e.type IN ${FACT_TYPES} AND ${requestFilter}
    ) x
  ON CONFLICT DO NOTHING`;

export class PledgeDuplicates1795990000003 implements MigrationInterface {
  name = 'PledgeDuplicates1795990000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_event_facts" ADD "dup" boolean NOT NULL DEFAULT false`);
    await this.functions(queryRunner, true);
    await queryRunner.query(`
      UPDATE request_event_facts f SET dup = true
        FROM (SELECT request_id, coalesce(fact_on, '') AS pledge FROM request_event_facts WHERE kind = 'funding'
               GROUP BY 1, 2 HAVING count(*) > 1) d
       WHERE f.kind = 'funding' AND f.request_id = d.request_id AND coalesce(f.fact_on, '') = d.pledge`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.functions(queryRunner, false);
    await queryRunner.query(`ALTER TABLE "request_event_facts" DROP COLUMN "dup"`);
  }

  private async functions(queryRunner: QueryRunner, withDup: boolean): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION request_event_facts_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(cardinality(ids), 0) = 0 THEN RETURN; END IF;
        DELETE FROM request_event_facts WHERE request_id = ANY (ids);
        ${FACTS_OF('e.request_id = ANY (ids)', withDup)};
      END $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION request_event_facts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM request_event_facts;
        ${FACTS_OF('true', withDup)};
      END $$`);
  }
}
