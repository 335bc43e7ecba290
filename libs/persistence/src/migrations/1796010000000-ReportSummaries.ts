import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Month summaries of the read models delivered_activities and request_stage_stays, for the unscoped
 * figures (every State) of states-assisted, participants and stage-times over long periods
 * (docs/REPORTS.md, "Month summaries"; docs/PERFORMANCE.md, P5).
 *
 * Writes stay cheap and never wait: statement-level triggers on the two read models only append the
 * months their statement touched to `report_summary_stale` (no unique key, no lock, no sums). Reads
 * stay exact whatever the refresh state: a report takes the summary rows of the whole months of its
 * period that have no marker visible to it, and computes every other month (the period's cut first
 * and last months, stale months) and every State-scoped figure from the detail rows, as before.
 * `report_summaries_refresh()`, run in a REPEATABLE READ transaction, deletes the markers it sees
 * and recomputes those months from the same snapshot; a marker committed after that snapshot is not
 * deleted, so its month stays stale until the next refresh. Tables, functions, triggers and backfill
 * are hand-written; TypeORM knows none of them (no entity: only SQL reads and writes them).
 *
 * Months are text 'YYYY-MM': a delivered activity's is the first 7 characters of its deliveredOn
 * (a validated YYYY-MM-DD date; every row of a shared activity has the same report, written in one
 * transaction by the event store), a stay's the UTC month of left_at.
 */

/** Only one refresh at a time (pg_try_advisory_xact_lock: a second one skips). */
const REPORT_SUMMARIES_LOCK = 4_811_020_001;

/** The first and last characters of a month's deliveredOn values, as text bounds (inclusive). */
const DAY_FIRST = (month: string) => `(${month} || '-01')`;
const DAY_LAST = (month: string) => `(${month} || '-31')`;
/** A 'YYYY-MM' month as UTC instants [start, end). */
const MONTH_START = (month: string) => `((${month} || '-01')::timestamp AT TIME ZONE 'UTC')`;
const MONTH_END = (month: string) => `(((${month} || '-01')::timestamp + interval '1 month') AT TIME ZONE 'UTC')`;
const STAY_MONTH = (at: string) => `to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM')`;

/** First DRILL_LIMIT (100) items in bytewise order: the drill-down's list (report-queries.ts). */
const FIRST_ITEMS = (expr: string) => `coalesce((array_agg(${expr} ORDER BY ${expr}))[1:100], '{}')`;

/**
 * request_stage_stays_record(), the stays' trigger on request_events (migration StageStays, its
 * statement copied: a migration is frozen); `early`: it returns at once when the statement inserted
 * no stage_changed event, so its INSERT (which would fire the stays' marker trigger with no row) is
 * not run for every other event.
 */
const STAYS_RECORD = (early: boolean) => `
  CREATE OR REPLACE FUNCTION request_stage_stays_record() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${early ? `IF NOT EXISTS (SELECT 1 FROM inserted n WHERE n.type = 'stage_changed') THEN RETURN NULL; END IF;` : ''}
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
  END $$`;

const DELIVERED_COMPUTE = `
  CREATE FUNCTION delivered_summaries_compute(months text[]) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM delivered_month_groups WHERE month = ANY (months);
    DELETE FROM delivered_month_states WHERE month = ANY (months);
    -- The derivations of states-assisted and participants (report-queries.ts), per month.
    WITH rows AS MATERIALIZED (
      SELECT m.month, d.activity_ref, d.reference, d.key, d.member_state, d.region, d.participant_states, d.participants,
             d.professions, d.officials, d.item
        FROM unnest(months) AS m(month)
        JOIN delivered_activities d ON d.delivered_on >= ${DAY_FIRST('m.month')} AND d.delivered_on <= ${DAY_LAST('m.month')}
    ),
    act AS MATERIALIZED (
      -- One row per activity: a shared one is represented by its linked request with the smallest reference.
      SELECT r.month, r.activity_ref, r.participant_states, r.participants, r.professions, r.officials, r.item
        FROM rows r WHERE r.activity_ref NOT LIKE 'shared/%'
      UNION ALL
      (SELECT DISTINCT ON (r.month, r.activity_ref) r.month, r.activity_ref, r.participant_states, r.participants, r.professions, r.officials, r.item
         FROM rows r WHERE r.activity_ref LIKE 'shared/%'
        ORDER BY r.month, r.activity_ref, r.reference COLLATE "C", r.key COLLATE "C")
    ),
    served AS (
      SELECT a.month, a.activity_ref, a.item, r.member_state::text AS iso3, r.region AS request_region
        FROM rows r JOIN act a ON a.month = r.month AND a.activity_ref = r.activity_ref
       WHERE r.member_state IS NOT NULL
      UNION ALL
      SELECT a.month, a.activity_ref, a.item, c.iso3, NULL
        FROM act a CROSS JOIN LATERAL unnest(a.participant_states) AS c(iso3)
    ),
    placed AS MATERIALIZED (
      SELECT s.month, s.activity_ref, s.item, s.iso3, coalesce(ms.region, s.request_region, 'Other') AS region
        FROM served s LEFT JOIN member_states ms ON ms.iso3 = s.iso3
    ),
    ra AS MATERIALIZED (SELECT DISTINCT p.month, p.region, p.activity_ref, p.item FROM placed p),
    -- (A data-modifying CTE runs to completion whether or not it is read.)
    states AS (
      INSERT INTO delivered_month_states (month, region, iso3)
      SELECT DISTINCT p.month, p.region, p.iso3 FROM placed p
    )
    INSERT INTO delivered_month_groups (month, kind, key, activities, amount, items)
    SELECT ra.month, 'region', ra.region, count(*)::int, NULL::bigint, ${FIRST_ITEMS('ra.item')} FROM ra GROUP BY ra.month, ra.region
    UNION ALL
    SELECT t.month, 'placed', '', count(*)::int, NULL, ${FIRST_ITEMS('t.item')}
      FROM (SELECT DISTINCT ra.month, ra.activity_ref, ra.item FROM ra) t GROUP BY t.month
    UNION ALL
    SELECT a.month, 'all', '', count(*)::int, NULL, ${FIRST_ITEMS('a.item')} FROM act a GROUP BY a.month
    UNION ALL
    SELECT a.month, 'state', c.iso3, count(*)::int, sum(c.n)::bigint, ${FIRST_ITEMS('a.item')}
      FROM act a CROSS JOIN LATERAL unnest(a.participant_states, a.participants) AS c(iso3, n) GROUP BY a.month, c.iso3
    UNION ALL
    SELECT a.month, 'profession', c.profession, count(*)::int, sum(c.n)::bigint, ${FIRST_ITEMS('a.item')}
      FROM act a CROSS JOIN LATERAL unnest(a.professions, a.officials) AS c(profession, n) GROUP BY a.month, c.profession;
  END $$`;

const STAYS_COMPUTE = `
  CREATE FUNCTION stage_stay_summaries_compute(months text[]) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM stage_stay_months WHERE month = ANY (months);
    DELETE FROM stage_stay_prev WHERE month = ANY (months);
    DELETE FROM stage_stay_bins WHERE month = ANY (months);
    WITH inm AS MATERIALIZED (
      SELECT m.month, x.request_id, x.seq
        FROM unnest(months) AS m(month)
        JOIN request_stage_stays x ON x.left_at >= ${MONTH_START('m.month')} AND x.left_at < ${MONTH_END('m.month')}
    ),
    sib AS MATERIALIZED (
      -- Each stay's previous stay of the same request, stage and reference (by left_at, then seq).
      SELECT x.request_id, x.seq, x.reference, x.stage, x.entered_at, x.left_at,
             lag(x.left_at) OVER (PARTITION BY x.request_id, x.stage, x.reference ORDER BY x.left_at, x.seq) AS prev_left_at
        FROM request_stage_stays x WHERE x.request_id IN (SELECT i.request_id FROM inm i)
    ),
    s AS MATERIALIZED (
      SELECT i.month, y.reference, y.stage, extract(epoch FROM y.left_at - y.entered_at) / 86400.0 AS days,
             stage_stay_bin(y.entered_at, y.left_at) AS bin,
             CASE WHEN y.reference IS NOT NULL AND y.prev_left_at IS NOT NULL THEN ${STAY_MONTH('y.prev_left_at')} END AS prev_month
        FROM inm i JOIN sib y ON y.request_id = i.request_id AND y.seq = i.seq
    ),
    prev AS (
      INSERT INTO stage_stay_prev (month, stage, prev_month, n)
      SELECT s.month, s.stage, s.prev_month, count(*)::int FROM s WHERE s.prev_month < s.month GROUP BY s.month, s.stage, s.prev_month
    ),
    bins AS (
      INSERT INTO stage_stay_bins (month, stage, bin, n, lo_days, hi_days)
      SELECT s.month, s.stage, s.bin, count(*)::int, min(s.days), max(s.days) FROM s GROUP BY s.month, s.stage, s.bin
    )
    INSERT INTO stage_stay_months (month, stage, stays, sum_days, min_days, max_days, refs, repeats, null_refs, items)
    SELECT s.month, s.stage, count(*)::int, sum(s.days), min(s.days), max(s.days), count(s.reference)::int,
           count(*) FILTER (WHERE s.prev_month = s.month)::int, count(*) FILTER (WHERE s.reference IS NULL)::int,
           coalesce((array_agg(DISTINCT s.reference::text COLLATE "C") FILTER (WHERE s.reference IS NOT NULL))[1:100], '{}')
      FROM s
     GROUP BY s.month, s.stage;
  END $$`;

export class ReportSummaries1796010000000 implements MigrationInterface {
  name = 'ReportSummaries1796010000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Markers: append-only, no key, so a writer never waits on another writer or on a refresh.
    await queryRunner.query(`CREATE TABLE "report_summary_stale" ("source" text NOT NULL, "month" text NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "idx_report_summary_stale" ON "report_summary_stale" ("source", "month")`);

    // delivered_activities per month. kind: region (states-assisted: distinct activities that served
    // the region), placed (states-assisted total: distinct activities that served some region), all
    // (participants total: every activity), state (participants: activities with participants of the
    // State, amount = participants), profession (activities with officials, amount = officials).
    // items: the first 100 drill-down items (bytewise).
    await queryRunner.query(
      `CREATE TABLE "delivered_month_groups" ("kind" text NOT NULL, "key" text NOT NULL, "month" text NOT NULL, "activities" integer NOT NULL, "amount" bigint, "items" text[] COLLATE "C" NOT NULL, CONSTRAINT "PK_delivered_month_groups" PRIMARY KEY ("kind", "key", "month"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_delivered_month_groups_month" ON "delivered_month_groups" ("month", "kind")`,
    );
    // states-assisted: the States each region counted in a month.
    await queryRunner.query(
      `CREATE TABLE "delivered_month_states" ("month" text NOT NULL, "region" text NOT NULL, "iso3" text NOT NULL, CONSTRAINT "PK_delivered_month_states" PRIMARY KEY ("month", "region", "iso3"))`,
    );

    // request_stage_stays per month and stage (stage may be NULL, as in the table: no primary key).
    // refs: stays with a reference; repeats: those whose previous stay of the same request, stage and
    // reference ended in the same month; items: the first 100 distinct references (bytewise).
    await queryRunner.query(
      `CREATE TABLE "stage_stay_months" ("month" text NOT NULL, "stage" text, "stays" integer NOT NULL, "sum_days" numeric NOT NULL, "min_days" numeric NOT NULL, "max_days" numeric NOT NULL, "refs" integer NOT NULL, "repeats" integer NOT NULL, "null_refs" integer NOT NULL, "items" text[] COLLATE "C" NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_stage_stay_months_month" ON "stage_stay_months" ("month")`);
    // Stays (with a reference) whose previous stay ended in an earlier month, per that month.
    await queryRunner.query(
      `CREATE TABLE "stage_stay_prev" ("month" text NOT NULL, "stage" text, "prev_month" text NOT NULL, "n" integer NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_stage_stay_prev_month" ON "stage_stay_prev" ("month")`);
    // Stays per length bin (stage_stay_bin), from which the median is located, with the bin's
    // shortest and longest stay in days (equal: every stay of the bin has that length).
    await queryRunner.query(
      `CREATE TABLE "stage_stay_bins" ("month" text NOT NULL, "stage" text, "bin" integer NOT NULL, "n" integer NOT NULL, "lo_days" numeric NOT NULL, "hi_days" numeric NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_stage_stay_bins_month" ON "stage_stay_bins" ("month")`);

    // A stay's length bin: about 32 per factor e of the length in seconds (3 % wide), monotonic in
    // the length, so the k-th shortest stay lies in the bin where the running count passes k.
    await queryRunner.query(`
      CREATE FUNCTION stage_stay_bin(entered timestamptz, left_at timestamptz) RETURNS integer
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT floor(ln(greatest(extract(epoch FROM left_at - entered)::float8, 1)) * 32)::int $$`);
    // The median's exact values: the stays of one stage and bin in length order.
    await queryRunner.query(
      `CREATE INDEX "idx_request_stage_stays_bin" ON "request_stage_stays" ("stage", stage_stay_bin("entered_at", "left_at"), ("left_at" - "entered_at"))`,
    );

    await queryRunner.query(DELIVERED_COMPUTE);
    await queryRunner.query(STAYS_COMPUTE);
    await queryRunner.query(`
      CREATE FUNCTION report_summaries_refresh() RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE dm text[]; sm text[];
      BEGIN
        IF NOT pg_try_advisory_xact_lock(${REPORT_SUMMARIES_LOCK}) THEN RETURN -1; END IF;
        WITH gone AS (DELETE FROM report_summary_stale WHERE source = 'delivered' RETURNING month)
        SELECT array_agg(DISTINCT gone.month) INTO dm FROM gone;
        WITH gone AS (DELETE FROM report_summary_stale WHERE source = 'stays' RETURNING month)
        SELECT array_agg(DISTINCT gone.month) INTO sm FROM gone;
        IF dm IS NOT NULL THEN PERFORM delivered_summaries_compute(dm); END IF;
        IF sm IS NOT NULL THEN PERFORM stage_stay_summaries_compute(sm); END IF;
        RETURN coalesce(cardinality(dm), 0) + coalesce(cardinality(sm), 0);
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION report_summaries_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(${REPORT_SUMMARIES_LOCK});
        DELETE FROM report_summary_stale;
        DELETE FROM delivered_month_groups;
        DELETE FROM delivered_month_states;
        DELETE FROM stage_stay_months;
        DELETE FROM stage_stay_prev;
        DELETE FROM stage_stay_bins;
        PERFORM delivered_summaries_compute(ARRAY(
          SELECT DISTINCT left(d.delivered_on, 7) FROM delivered_activities d WHERE d.delivered_on IS NOT NULL));
        PERFORM stage_stay_summaries_compute(ARRAY(SELECT DISTINCT ${STAY_MONTH('s.left_at')} FROM request_stage_stays s));
      END $$`);

    // Markers. delivered_activities: the months of the rows a statement wrote or removed.
    await queryRunner.query(`
      CREATE FUNCTION delivered_activities_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NOT EXISTS (SELECT 1 FROM inserted) THEN RETURN NULL; END IF;
          INSERT INTO report_summary_stale (source, month)
          SELECT DISTINCT 'delivered', left(n.delivered_on, 7) FROM inserted n WHERE n.delivered_on IS NOT NULL;
        ELSIF TG_OP = 'DELETE' THEN
          IF NOT EXISTS (SELECT 1 FROM deleted) THEN RETURN NULL; END IF;
          INSERT INTO report_summary_stale (source, month)
          SELECT DISTINCT 'delivered', left(o.delivered_on, 7) FROM deleted o WHERE o.delivered_on IS NOT NULL;
        ELSE
          INSERT INTO report_summary_stale (source, month)
          SELECT 'delivered', x.month FROM (
            SELECT left(n.delivered_on, 7) AS month FROM inserted n WHERE n.delivered_on IS NOT NULL
            UNION SELECT left(o.delivered_on, 7) FROM deleted o WHERE o.delivered_on IS NOT NULL) x;
        END IF;
        RETURN NULL;
      END $$`);
    // request_stage_stays: the months of the rows, and of the later stays of the same request and
    // stage (their previous stay, which the distinct-reference counts use, may have changed).
    const stayMonths = (changed: string) => `
      SELECT c.left_at FROM ${changed} c
      UNION ALL
      SELECT e.left_at FROM ${changed} c JOIN request_stage_stays e
          ON e.request_id = c.request_id AND e.stage IS NOT DISTINCT FROM c.stage AND (e.left_at, e.seq) > (c.left_at, c.seq)`;
    await queryRunner.query(STAYS_RECORD(true));
    await queryRunner.query(`
      CREATE FUNCTION request_stage_stays_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Called for every event inserted (the stays' own trigger inserts none for most): cheap exit.
        IF TG_OP = 'INSERT' THEN
          IF NOT EXISTS (SELECT 1 FROM inserted) THEN RETURN NULL; END IF;
          INSERT INTO report_summary_stale (source, month)
          SELECT DISTINCT 'stays', ${STAY_MONTH('x.left_at')} FROM (${stayMonths('inserted')}) x;
        ELSIF TG_OP = 'DELETE' THEN
          IF NOT EXISTS (SELECT 1 FROM deleted) THEN RETURN NULL; END IF;
          INSERT INTO report_summary_stale (source, month)
          SELECT DISTINCT 'stays', ${STAY_MONTH('x.left_at')} FROM (${stayMonths('deleted')}) x;
        ELSE
          INSERT INTO report_summary_stale (source, month)
          SELECT DISTINCT 'stays', ${STAY_MONTH('x.left_at')} FROM (${stayMonths('inserted')} UNION ALL ${stayMonths('deleted')}) x;
        END IF;
        RETURN NULL;
      END $$`);
    // member_states: a State's region is baked into states-assisted's month rows. Only a statement
    // that added or removed a State or changed its region marks them (the seed loaders' upserts of
    // unchanged rows do not).
    await queryRunner.query(`
      CREATE FUNCTION member_states_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NOT EXISTS (SELECT 1 FROM inserted) THEN RETURN NULL; END IF;
        ELSIF TG_OP = 'DELETE' THEN
          IF NOT EXISTS (SELECT 1 FROM deleted) THEN RETURN NULL; END IF;
        ELSIF NOT EXISTS (SELECT 1 FROM inserted n FULL JOIN deleted o ON o.iso3 = n.iso3
                           WHERE n.iso3 IS NULL OR o.iso3 IS NULL OR n.region IS DISTINCT FROM o.region) THEN
          RETURN NULL;
        END IF;
        INSERT INTO report_summary_stale (source, month) SELECT DISTINCT 'delivered', s.month FROM delivered_month_states s;
        RETURN NULL;
      END $$`);
    for (const op of ['INSERT', 'DELETE', 'UPDATE'] as const) {
      const lower = op.toLowerCase();
      const transition =
        op === 'INSERT'
          ? 'REFERENCING NEW TABLE AS inserted'
          : op === 'DELETE'
            ? 'REFERENCING OLD TABLE AS deleted'
            : 'REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted';
      await queryRunner.query(
        `CREATE TRIGGER delivered_activities_stale_${lower} AFTER ${op} ON "delivered_activities" ${transition} FOR EACH STATEMENT EXECUTE FUNCTION delivered_activities_mark_stale()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER request_stage_stays_stale_${lower} AFTER ${op} ON "request_stage_stays" ${transition} FOR EACH STATEMENT EXECUTE FUNCTION request_stage_stays_mark_stale()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER member_states_stale_${lower} AFTER ${op} ON "member_states" ${transition} FOR EACH STATEMENT EXECUTE FUNCTION member_states_mark_stale()`,
      );
    }
    await queryRunner.query(`SELECT report_summaries_rebuild()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'delete', 'update']) {
      await queryRunner.query(`DROP TRIGGER "member_states_stale_${op}" ON "member_states"`);
      await queryRunner.query(`DROP TRIGGER "request_stage_stays_stale_${op}" ON "request_stage_stays"`);
      await queryRunner.query(`DROP TRIGGER "delivered_activities_stale_${op}" ON "delivered_activities"`);
    }
    await queryRunner.query(STAYS_RECORD(false));
    await queryRunner.query(`DROP FUNCTION member_states_mark_stale()`);
    await queryRunner.query(`DROP FUNCTION request_stage_stays_mark_stale()`);
    await queryRunner.query(`DROP FUNCTION delivered_activities_mark_stale()`);
    await queryRunner.query(`DROP FUNCTION report_summaries_rebuild()`);
    await queryRunner.query(`DROP FUNCTION report_summaries_refresh()`);
    await queryRunner.query(`DROP FUNCTION stage_stay_summaries_compute(text[])`);
    await queryRunner.query(`DROP FUNCTION delivered_summaries_compute(text[])`);
    await queryRunner.query(`DROP INDEX "idx_request_stage_stays_bin"`);
    await queryRunner.query(`DROP FUNCTION stage_stay_bin(timestamptz, timestamptz)`);
    for (const table of [
      'stage_stay_bins',
      'stage_stay_prev',
      'stage_stay_months',
      'delivered_month_states',
      'delivered_month_groups',
      'report_summary_stale',
    ])
      await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
