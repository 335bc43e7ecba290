import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The referral funnel as rows: one per referral made by a `refer_needs` decision, with how far it
 * went (planned, delivered, outcome recorded) as the report defined it on the event log. Kept in
 * the same transaction as the writes it depends on by statement-level triggers (transition tables)
 * on request_events, assistance_requests and delivery_activities: each recomputes, from the log
 * and the read model, the referrals of the requests its statement touched (delete, then insert),
 * so a row always equals the old derivation. The `referral-funnel` report then aggregates this
 * narrow table instead of scanning each referral's whole stream (docs/PERFORMANCE.md, P5).
 * The table is generated; the functions, triggers and the backfill are hand-written.
 */
const REFERRALS_OF = (requestFilter: string) => `
  INSERT INTO request_referrals (event_id, ord, request_id, referral_id, reference, member_state, referred_at, provider_kind, provider,
                                 planned, delivered, outcome_recorded, item)
  SELECT f.event_id, f.ord, f.request_id, f.referral_id, f.reference, f.member_state, f.referred_at, f.provider_kind, f.provider,
         f.planned, f.delivered, f.outcome_recorded,
         concat_ws(chr(31), coalesce(f.reference::text, ''), coalesce(f.referral_id::text, ''), coalesce(f.planned::text, ''),
                   coalesce(f.delivered::text, ''), coalesce(f.outcome_recorded::text, ''))
    FROM (
      SELECT rn.event_id, x.ord, rn.request_id, rn.reference, rn.member_state, rn.occurred_at AS referred_at,
             'ref-' || (rn.before + x.ord) AS referral_id,
             CASE WHEN x.r -> 'provider' ->> 'kind' = 'unodc_tpb' THEN 'unodc_tpb' ELSE 'external' END AS provider_kind,
             CASE WHEN x.r -> 'provider' ->> 'kind' = 'unodc_tpb' THEN 'UNODC TPB' ELSE coalesce(btrim(x.r -> 'provider' ->> 'name'), '(unnamed)') END AS provider,
             CASE WHEN x.r -> 'provider' ->> 'kind' = 'unodc_tpb' THEN rn.plan_approved END AS planned,
             CASE WHEN x.r -> 'provider' ->> 'kind' = 'unodc_tpb' THEN rn.activity_delivered
                  ELSE coalesce(rn.outcomes -> ('ref-' || (rn.before + x.ord)) = 'true'::jsonb, false) END AS delivered,
             CASE WHEN x.r -> 'provider' ->> 'kind' = 'unodc_tpb' THEN rn.delivery_settled
                  ELSE rn.outcomes ? ('ref-' || (rn.before + x.ord)) END AS outcome_recorded
        FROM (
          SELECT e.id AS event_id, e.request_id, e.occurred_at, e.payload, r.reference, r.member_state, h.before,
                 coalesce(h.plan_approved, false) AS plan_approved,
                 r.stage = 'closed' OR coalesce(h.completed, false) AS delivery_settled, h.outcomes,
                 coalesce((SELECT bool_or(d.status = 'delivered') FROM delivery_activities d WHERE d.request_id = e.request_id), false) AS activity_delivered
            FROM request_events e
            JOIN assistance_requests r ON r.id = e.request_id
            CROSS JOIN LATERAL (
              SELECT coalesce(sum(jsonb_array_length(CASE WHEN jsonb_typeof(x.payload -> 'referrals') = 'array' THEN x.payload -> 'referrals' ELSE '[]'::jsonb END))
                       FILTER (WHERE x.type = 'refer_needs' AND x.seq < e.seq), 0) AS before,
                     bool_or(x.type = 'approve_plan') AS plan_approved,
                     bool_or(x.type = 'complete_delivery') AS completed,
                     jsonb_object_agg(x.payload ->> 'referralId', x.payload -> 'delivered') FILTER (WHERE x.type = 'record_referral_outcome') AS outcomes
                FROM request_events x WHERE x.stream = e.stream) h
           WHERE e.type = 'refer_needs' AND ${requestFilter}
        ) rn
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(rn.payload -> 'referrals') = 'array' THEN rn.payload -> 'referrals' ELSE '[]'::jsonb END)
          WITH ORDINALITY AS x(r, ord)
    ) f
  ON CONFLICT DO NOTHING`;

export class RequestReferrals1795990000000 implements MigrationInterface {
  name = 'RequestReferrals1795990000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "request_referrals" ("event_id" bigint NOT NULL, "ord" integer NOT NULL, "request_id" uuid NOT NULL, "referral_id" character varying(20) NOT NULL, "reference" character varying(40) NOT NULL, "member_state" character(3) NOT NULL, "referred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "provider_kind" character varying(20) NOT NULL, "provider" text NOT NULL, "planned" boolean, "delivered" boolean, "outcome_recorded" boolean, "item" text COLLATE "C" NOT NULL, CONSTRAINT "PK_request_referrals" PRIMARY KEY ("event_id", "ord"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_request_referrals_request" ON "request_referrals" ("request_id") `);
    await queryRunner.query(`CREATE INDEX "idx_request_referrals_referred" ON "request_referrals" ("referred_at") `);
    await queryRunner.query(
      `CREATE INDEX "idx_request_referrals_provider_item" ON "request_referrals" ("provider_kind", "provider", "item") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_request_referrals_item" ON "request_referrals" ("item") `);
    await queryRunner.query(
      `CREATE INDEX "idx_request_referrals_state_item" ON "request_referrals" ("member_state", "item") `,
    );
    // Recomputes the referrals of the given requests from the log and the read model.
    await queryRunner.query(`
      CREATE FUNCTION request_referrals_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(cardinality(ids), 0) = 0 THEN RETURN; END IF;
        DELETE FROM request_referrals WHERE request_id = ANY (ids);
        ${REFERRALS_OF('e.request_id = ANY (ids)')};
      END $$`);
    // Every referral again, set-based: after a bulk load made with the triggers disabled.
    await queryRunner.query(`
      CREATE FUNCTION request_referrals_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM request_referrals;
        ${REFERRALS_OF('true')};
      END $$`);
    // The events a referral's figures depend on: the referral itself, a plan approval, a completed
    // delivery, an external provider's outcome (all on the request's own stream).
    await queryRunner.query(`
      CREATE FUNCTION request_referrals_on_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM request_referrals_refresh(ARRAY(
          SELECT DISTINCT n.request_id FROM inserted n
           WHERE n.type IN ('refer_needs', 'approve_plan', 'complete_delivery', 'record_referral_outcome')));
        RETURN NULL;
      END $$`);
    // The request row (reference, State, and whether it is closed) and its activities (delivered or
    // not): only requests that have referrals, and only when what the figures read changed.
    await queryRunner.query(`
      CREATE FUNCTION request_referrals_on_requests() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM request_referrals_refresh(ARRAY(
            SELECT n.id FROM inserted n WHERE EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = n.id AND e.type = 'refer_needs')));
        ELSE
          PERFORM request_referrals_refresh(ARRAY(
            SELECT n.id FROM inserted n JOIN deleted o ON o.id = n.id
             WHERE (n.stage IS DISTINCT FROM o.stage OR n.reference IS DISTINCT FROM o.reference OR n.member_state IS DISTINCT FROM o.member_state)
               AND EXISTS (SELECT 1 FROM request_referrals rr WHERE rr.request_id = n.id)));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION request_referrals_on_activities() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM request_referrals_refresh(ARRAY(
            SELECT DISTINCT n.request_id FROM inserted n
             WHERE n.status = 'delivered' AND EXISTS (SELECT 1 FROM request_referrals rr WHERE rr.request_id = n.request_id)));
        ELSE
          PERFORM request_referrals_refresh(ARRAY(
            SELECT DISTINCT n.request_id FROM inserted n JOIN deleted o ON o.request_id = n.request_id AND o.key = n.key
             WHERE n.status IS DISTINCT FROM o.status AND (n.status = 'delivered' OR o.status = 'delivered')
               AND EXISTS (SELECT 1 FROM request_referrals rr WHERE rr.request_id = n.request_id)));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER request_events_referrals AFTER INSERT ON "request_events" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_referrals_on_events()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER assistance_requests_referrals_insert AFTER INSERT ON "assistance_requests" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_referrals_on_requests()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER assistance_requests_referrals_update AFTER UPDATE ON "assistance_requests" REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_referrals_on_requests()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER delivery_activities_referrals_insert AFTER INSERT ON "delivery_activities" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_referrals_on_activities()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER delivery_activities_referrals_update AFTER UPDATE ON "delivery_activities" REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_referrals_on_activities()`,
    );
    // Backfill: every referral of the existing log.
    await queryRunner.query(`SELECT request_referrals_rebuild()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "delivery_activities_referrals_update" ON "delivery_activities"`);
    await queryRunner.query(`DROP TRIGGER "delivery_activities_referrals_insert" ON "delivery_activities"`);
    await queryRunner.query(`DROP TRIGGER "assistance_requests_referrals_update" ON "assistance_requests"`);
    await queryRunner.query(`DROP TRIGGER "assistance_requests_referrals_insert" ON "assistance_requests"`);
    await queryRunner.query(`DROP TRIGGER "request_events_referrals" ON "request_events"`);
    await queryRunner.query(`DROP FUNCTION request_referrals_on_activities()`);
    await queryRunner.query(`DROP FUNCTION request_referrals_on_requests()`);
    await queryRunner.query(`DROP FUNCTION request_referrals_on_events()`);
    await queryRunner.query(`DROP FUNCTION request_referrals_refresh(uuid[])`);
    await queryRunner.query(`DROP FUNCTION request_referrals_rebuild()`);
    await queryRunner.query(`DROP TABLE "request_referrals"`);
  }
}
