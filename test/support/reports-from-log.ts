/**
 * The reports as they were computed before their read models (commit 2241a1e), straight from the
 * event log and the read model tables: the reference the rewritten statements are compared with
 * (test/reports-read-models.e2e-spec.ts). Not used by the application.
 */
import { DRILL_LIMIT, Period, ReportDefinition, ReportName } from '../../apps/api/src/reports/report-queries';

/**
 * True for every row when parameter $n (the caller's State scope) is null, else only for rows of
 * that State. A focal point's State is always bound here by the service, never taken from the client.
 */
const inState = (column: string, n: number) => `($${n}::char(3) IS NULL OR ${column} = $${n}::char(3))`;
/** The same, for a row that holds only its request's id. */
const requestInState = (requestId: string, n: number) =>
  `($${n}::char(3) IS NULL OR EXISTS (SELECT 1 FROM assistance_requests sr WHERE sr.id = ${requestId} AND sr.member_state = $${n}::char(3)))`;

/** One text key per drill-down item, compared bytewise (fast, and the same order everywhere). */
function itemKey(parts: string[]): string {
  const text =
    parts.length === 1
      ? `${parts[0]}::text`
      : `concat_ws(chr(31), ${parts.map((p) => `coalesce(${p}::text, '')`).join(', ')})`;
  return `(${text} COLLATE "C")`;
}

/**
 * Drill-down of an aggregate: `{ total, items }` over the distinct items (text keys of the given
 * parts), sorted, at most DRILL_LIMIT of them.
 */
function drill(parts: string[], filter?: string): string {
  const where = filter ? ` FILTER (WHERE ${filter})` : '';
  const key = itemKey(parts);
  return `jsonb_build_object('total', count(DISTINCT ${key})${where},
    'items', coalesce(to_jsonb((array_agg(DISTINCT ${key})${where})[1:${DRILL_LIMIT}]), '[]'::jsonb))`;
}

/**
 * Delivered activities whose reported delivery date falls in [$1, $2] (text dates compare as
 * dates). Served by the partial expression index idx_delivery_activities_delivered_on.
 * `delivered_rows` has one row per request an activity served (a shared regional activity has one
 * per linked request, all with the same activity_ref); `delivered` has one row per activity
 * (activity_ref), represented in drill-downs by its linked request with the smallest reference.
 */
const DELIVERED = `
  delivered_rows AS (
    SELECT d.request_id, d.key, d.reference, d.activity_ref, d.report
      FROM delivery_activities d
     WHERE d.status = 'delivered' AND (d.report ->> 'deliveredOn') >= $1 AND (d.report ->> 'deliveredOn') <= $2
       AND ${requestInState('d.request_id', 3)}
  ),
  delivered AS (
    SELECT DISTINCT ON (r.activity_ref) r.request_id, r.key, r.reference, r.activity_ref, r.report
      FROM delivered_rows r
     ORDER BY r.activity_ref, r.reference COLLATE "C", r.key COLLATE "C"
  )`;

/** The event stream of a delivery_activities row's activity (its request's, or the shared activity's). */
const ACTIVITY_STREAM = (d: string) =>
  `CASE WHEN ${d}.activity_ref LIKE 'shared/%' THEN 'shared-activity/' || substr(${d}.activity_ref, 8) ELSE ${d}.request_id::text || '/activity/' || ${d}.key END`;

/** A jsonb object's entries with a positive whole-number value. */
const positiveCounts = (obj: string) =>
  `(SELECT c.key, (c.value)::numeric::bigint AS n FROM jsonb_each(CASE WHEN jsonb_typeof(${obj}) = 'object' THEN ${obj} ELSE '{}'::jsonb END) AS c
     WHERE jsonb_typeof(c.value) = 'number' AND (c.value)::numeric > 0)`;

const jsonArray = (arr: string) => `CASE WHEN jsonb_typeof(${arr}) = 'array' THEN ${arr} ELSE '[]'::jsonb END`;

/** The stage a missed deadline counts under: a referral clock's is the external referral's, whatever the request's stage. */
const MISSED_STAGE = `(CASE WHEN e.type = 'referral_overdue' THEN 'external_referral' ELSE e.payload ->> 'stage' END)`;
const STAGE_ORDER = `ARRAY['cted_review','awaiting_information','external_referral','unodc_planning','awaiting_funding','delivery','follow_up_evaluation','closed']`;
const LEVEL_ORDER = `ARRAY['national','subregional','regional','international','unknown']`;

const dates = (p: Period, state: string | null = null) => [p.fromDate, p.toDate, state];
const instants = (p: Period, state: string | null = null) => [p.fromTs, p.toTsExclusive, state];
/**
 * The request of a fact, looked up by primary key for each fact: the facts of a period are few
 * but the events they are read from may be many, and a join would read the whole table.
 * (LIMIT 1 keeps the planner from flattening it into such a join.)
 */
const REQUEST_OF = (id: string) => `SELECT reference, member_state FROM assistance_requests WHERE id = ${id} LIMIT 1`;

export const REPORTS_FROM_LOG: Record<ReportName, ReportDefinition> = {
  'states-assisted': {
    title: 'States assisted',
    description:
      'Distinct States with at least one activity delivered in the period, per region: the requesting State of each delivered activity and every State with participants in it.',
    columns: { scope: 'text', region: 'text', states: 'number', activities: 'number', stateCodes: 'list' },
    drill: ['reference', 'activityKey'],
    params: dates,
    sql: `
WITH ${DELIVERED},
served AS (
  -- The requesting State of every request the activity served (each linked request of a shared one) ...
  SELECT dl.activity_ref, dl.reference, dl.key, r.member_state::text AS iso3, r.region AS request_region
    FROM delivered_rows dr
    JOIN delivered dl ON dl.activity_ref = dr.activity_ref
    JOIN assistance_requests r ON r.id = dr.request_id
  UNION
  -- ... and every State with participants in it.
  SELECT dl.activity_ref, dl.reference, dl.key, c.key, NULL
    FROM delivered dl CROSS JOIN LATERAL ${positiveCounts(`dl.report -> 'participantsByState'`)} AS c
),
placed AS (
  SELECT s.activity_ref, s.reference, s.key, s.iso3, coalesce(ms.region, s.request_region, 'Other') AS region
    FROM served s LEFT JOIN member_states ms ON ms.iso3 = s.iso3
   -- Scoped to a State: the other States with participants in a shared activity are not shown.
   WHERE ${inState('s.iso3', 3)}
)
SELECT CASE WHEN GROUPING(p.region) = 1 THEN 'total' ELSE 'region' END AS scope,
       CASE WHEN GROUPING(p.region) = 1 THEN NULL ELSE p.region END AS region,
       count(DISTINCT p.iso3)::int AS states,
       count(DISTINCT p.activity_ref)::int AS activities,
       array_agg(DISTINCT p.iso3 ORDER BY p.iso3) AS "stateCodes",
       ${drill(['p.reference', 'p.key'])} AS drilldown
  FROM placed p
 GROUP BY ROLLUP (p.region)
 ORDER BY GROUPING(p.region), p.region`,
  },

  'activities-by-modality': {
    title: 'Activities by modality and level',
    description:
      'Activities delivered in the period, each counted once, per delivery modality and per reporting level (national, subregional, regional, international) of its modality.',
    columns: {
      scope: 'text',
      level: 'text',
      modality: 'text',
      modalityName: 'text',
      form: 'text',
      activities: 'number',
    },
    drill: ['reference', 'activityKey'],
    params: dates,
    sql: `
WITH ${DELIVERED},
a AS (
  SELECT dl.activity_ref, dl.reference, dl.key, coalesce(s.payload ->> 'modality', 'unknown') AS modality
    FROM delivered dl
    LEFT JOIN request_events s ON s.stream = ${ACTIVITY_STREAM('dl')} AND s.seq = 1 AND s.type = 'activity_scheduled'
),
m AS (
  SELECT a.activity_ref, a.reference, a.key, a.modality, coalesce(dm.reporting_level, 'unknown') AS level, dm.name, dm.level AS form
    FROM a LEFT JOIN delivery_modalities dm ON dm.code = a.modality
)
SELECT CASE WHEN GROUPING(m.level) = 1 THEN 'total' WHEN GROUPING(m.modality) = 1 THEN 'level' ELSE 'modality' END AS scope,
       CASE WHEN GROUPING(m.level) = 1 THEN NULL ELSE m.level END AS level,
       CASE WHEN GROUPING(m.modality) = 1 THEN NULL ELSE m.modality END AS modality,
       CASE WHEN GROUPING(m.modality) = 1 THEN NULL ELSE m.name END AS "modalityName",
       CASE WHEN GROUPING(m.modality) = 1 THEN NULL ELSE m.form END AS form,
       count(DISTINCT m.activity_ref)::int AS activities,
       ${drill(['m.reference', 'm.key'])} AS drilldown
  FROM m
 GROUP BY GROUPING SETS ((m.level, m.modality, m.name, m.form), (m.level), ())
 ORDER BY GROUPING(m.level), array_position(${LEVEL_ORDER}, m.level), GROUPING(m.modality), m.modality`,
  },

  participants: {
    title: 'Participants and officials trained',
    description:
      'For activities delivered in the period: totals (each activity once), per State (from participantsByState: an activity counts once for every State it served) and per profession (officialsTrainedByProfession).',
    columns: {
      scope: 'text',
      key: 'text',
      name: 'text',
      activities: 'number',
      states: 'number',
      participants: 'number',
      officialsTrained: 'number',
    },
    drill: ['reference', 'activityKey'],
    params: dates,
    sql: `
WITH ${DELIVERED},
ps AS (
  SELECT dl.activity_ref, dl.reference, dl.key, c.key AS iso3, c.n FROM delivered dl CROSS JOIN LATERAL ${positiveCounts(`dl.report -> 'participantsByState'`)} AS c
   WHERE ${inState('c.key', 3)}
),
op AS (
  SELECT dl.activity_ref, dl.reference, dl.key, c.key AS profession, c.n FROM delivered dl CROSS JOIN LATERAL ${positiveCounts(`dl.report -> 'officialsTrainedByProfession'`)} AS c
)
SELECT * FROM (
  SELECT 'total' AS scope, NULL::text AS key, NULL::text AS name,
         (SELECT count(DISTINCT activity_ref) FROM delivered)::int AS activities,
         (SELECT count(DISTINCT iso3) FROM ps)::int AS states,
         (SELECT coalesce(sum(n), 0) FROM ps)::bigint AS participants,
         (SELECT coalesce(sum(n), 0) FROM op)::bigint AS "officialsTrained",
         (SELECT ${drill(['dl.reference', 'dl.key'])} FROM delivered dl) AS drilldown
  UNION ALL
  SELECT 'state', ps.iso3, min(ms.name), count(DISTINCT ps.activity_ref)::int, 1, sum(ps.n)::bigint, NULL::bigint,
         ${drill(['ps.reference', 'ps.key'])}
    FROM ps LEFT JOIN member_states ms ON ms.iso3 = ps.iso3
   GROUP BY ps.iso3
  UNION ALL
  SELECT 'profession', op.profession, NULL, count(DISTINCT op.activity_ref)::int, NULL::int, NULL::bigint, sum(op.n)::bigint,
         ${drill(['op.reference', 'op.key'])}
    FROM op
   GROUP BY op.profession
) x
ORDER BY array_position(ARRAY['state','profession','total'], x.scope), x.key`,
  },

  outcomes: {
    title: 'Outcomes: ratifications, laws, officials trained',
    description:
      'Results indicators, each counted by the date of its own fact: ratifications deposited in the period (depositedOn) per instrument, laws drafted or adopted in the period (their date) per status, officials trained recorded in the period (no date of their own); with the number of distinct States.',
    columns: { indicator: 'text', scope: 'text', key: 'text', name: 'text', count: 'number', states: 'number' },
    drill: ['reference'],
    params: instants,
    sql: `
WITH ev AS (
  -- A fact counts by its own date, and is never recorded before it happened (the validators refuse
  -- future dates), so only decisions recorded since the period began can hold one of its facts.
  SELECT e.request_id, e.payload, e.occurred_at
    FROM request_events e
   WHERE e.type = 'record_indicators' AND e.occurred_at >= $1
),
rat AS (
  SELECT r.reference, r.member_state, f.instrument
    FROM (SELECT ev.request_id, x ->> 'instrument' AS instrument
            FROM ev CROSS JOIN LATERAL jsonb_array_elements(${jsonArray(`ev.payload -> 'ratifications'`)}) AS x
           WHERE (x ->> 'depositedOn')::date >= ($1::timestamptz AT TIME ZONE 'UTC')
             AND (x ->> 'depositedOn')::date < ($2::timestamptz AT TIME ZONE 'UTC')) f
    CROSS JOIN LATERAL (${REQUEST_OF('f.request_id')}) r
   WHERE ${inState('r.member_state', 3)}
),
law AS (
  SELECT r.reference, r.member_state, f.status
    FROM (SELECT ev.request_id, x ->> 'status' AS status
            FROM ev CROSS JOIN LATERAL jsonb_array_elements(${jsonArray(`ev.payload -> 'laws'`)}) AS x
           WHERE (x ->> 'date')::date >= ($1::timestamptz AT TIME ZONE 'UTC')
             AND (x ->> 'date')::date < ($2::timestamptz AT TIME ZONE 'UTC')) f
    CROSS JOIN LATERAL (${REQUEST_OF('f.request_id')}) r
   WHERE ${inState('r.member_state', 3)}
),
trained AS (
  -- Officials trained carry no date of their own: they count when recorded.
  SELECT r.reference, r.member_state, (ev.payload ->> 'officialsTrained')::numeric::bigint AS n
    FROM ev CROSS JOIN LATERAL (${REQUEST_OF('ev.request_id')}) r
   WHERE ev.occurred_at < $2 AND ${inState('r.member_state', 3)}
     AND jsonb_typeof(ev.payload -> 'officialsTrained') = 'number' AND (ev.payload ->> 'officialsTrained')::numeric > 0
)
SELECT * FROM (
  SELECT 'ratification' AS indicator, CASE WHEN GROUPING(rat.instrument) = 1 THEN 'total' ELSE 'instrument' END AS scope,
         rat.instrument AS key, CASE WHEN GROUPING(rat.instrument) = 0 THEN min(ui.short_title) END AS name, count(rat.reference)::bigint AS count, count(DISTINCT rat.member_state)::int AS states,
         ${drill(['rat.reference'])} AS drilldown
    FROM rat LEFT JOIN universal_instruments ui ON ui.code = rat.instrument
   GROUP BY GROUPING SETS ((rat.instrument), ())
  UNION ALL
  SELECT 'law', CASE WHEN GROUPING(law.status) = 1 THEN 'total' ELSE 'status' END, law.status, NULL,
         count(law.reference)::bigint, count(DISTINCT law.member_state)::int, ${drill(['law.reference'])}
    FROM law
   GROUP BY GROUPING SETS ((law.status), ())
  UNION ALL
  SELECT 'officials_trained', 'total', NULL, NULL, coalesce(sum(trained.n), 0)::bigint, count(DISTINCT trained.member_state)::int,
         ${drill(['trained.reference'])}
    FROM trained
) x
ORDER BY array_position(ARRAY['ratification','law','officials_trained'], x.indicator), x.scope = 'total', x.key`,
  },

  'referral-funnel': {
    title: 'Referral funnel per provider',
    description:
      'Referrals made by CTED in the period (refer_needs decisions), per provider (UNODC TPB, each external provider by name), and how far each went: planned (UNODC: plan approved), delivered (UNODC: an activity delivered; external: outcome recorded as delivered), outcome recorded (external: record_referral_outcome; UNODC: delivery completed or request closed).',
    columns: {
      scope: 'text',
      providerKind: 'text',
      provider: 'text',
      referred: 'number',
      planned: 'number',
      delivered: 'number',
      outcomesRecorded: 'number',
    },
    drill: ['reference', 'referralId', 'planned', 'delivered', 'outcomeRecorded'],
    params: instants,
    sql: `
WITH rn AS MATERIALIZED (
  -- Per refer_needs event (few rows): what became of its request, read from the request's own
  -- stream in one index range scan. Referral ids ref-N number the referrals of a request across
  -- all its refer_needs events, in order.
  SELECT r.reference, e.payload, h.before, coalesce(h.plan_approved, false) AS plan_approved,
         r.stage = 'closed' OR coalesce(h.completed, false) AS delivery_settled, h.outcomes,
         coalesce((SELECT bool_or(d.status = 'delivered') FROM delivery_activities d WHERE d.request_id = e.request_id), false) AS activity_delivered
    FROM request_events e
    JOIN assistance_requests r ON r.id = e.request_id
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(jsonb_array_length(${jsonArray(`x.payload -> 'referrals'`)})) FILTER (WHERE x.type = 'refer_needs' AND x.seq < e.seq), 0) AS before,
             bool_or(x.type = 'approve_plan') AS plan_approved,
             bool_or(x.type = 'complete_delivery') AS completed,
             jsonb_object_agg(x.payload ->> 'referralId', x.payload -> 'delivered') FILTER (WHERE x.type = 'record_referral_outcome') AS outcomes
        FROM request_events x WHERE x.stream = e.stream) h
   WHERE e.type = 'refer_needs' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND ${inState('r.member_state', 3)}
),
ref AS (
  SELECT rn.*, 'ref-' || (rn.before + x.ord) AS referral_id, x.r -> 'provider' AS provider
    FROM rn CROSS JOIN LATERAL jsonb_array_elements(${jsonArray(`rn.payload -> 'referrals'`)}) WITH ORDINALITY AS x(r, ord)
),
f AS (
  SELECT ref.reference, ref.referral_id,
         CASE WHEN ref.provider ->> 'kind' = 'unodc_tpb' THEN 'unodc_tpb' ELSE 'external' END AS provider_kind,
         CASE WHEN ref.provider ->> 'kind' = 'unodc_tpb' THEN 'UNODC TPB' ELSE coalesce(btrim(ref.provider ->> 'name'), '(unnamed)') END AS provider,
         CASE WHEN ref.provider ->> 'kind' = 'unodc_tpb' THEN ref.plan_approved END AS planned,
         CASE WHEN ref.provider ->> 'kind' = 'unodc_tpb' THEN ref.activity_delivered
              ELSE coalesce(ref.outcomes -> ref.referral_id = 'true'::jsonb, false) END AS delivered,
         CASE WHEN ref.provider ->> 'kind' = 'unodc_tpb' THEN ref.delivery_settled
              ELSE ref.outcomes ? ref.referral_id END AS outcome_recorded
    FROM ref
)
SELECT CASE WHEN GROUPING(f.provider_kind) = 1 THEN 'total' ELSE 'provider' END AS scope,
       f.provider_kind AS "providerKind", f.provider,
       count(*)::int AS referred,
       CASE WHEN GROUPING(f.provider_kind) = 0 AND f.provider_kind = 'external' THEN NULL ELSE count(*) FILTER (WHERE f.planned) END::int AS planned,
       count(*) FILTER (WHERE f.delivered)::int AS delivered,
       count(*) FILTER (WHERE f.outcome_recorded)::int AS "outcomesRecorded",
       ${drill(['f.reference', 'f.referral_id', 'f.planned', 'f.delivered', 'f.outcome_recorded'])} AS drilldown
  FROM f
 GROUP BY GROUPING SETS ((f.provider_kind, f.provider), ())
 ORDER BY GROUPING(f.provider_kind), f.provider_kind DESC, f.provider`,
  },

  contributions: {
    title: 'Contributions by donor and year',
    description:
      'Donor contributions per donor and year: the annex of the Secretary-General report E/CN.15/2010 on the assistance of the Terrorism Prevention Branch in 2009 (source "annex": paid and pledged, 1999-2009; the column 1999-2002 is year 1999 with periodEnd 2002) and the funding recorded by record_funding decisions in the period (source "recorded", by year of recording).',
    columns: {
      source: 'text',
      scope: 'text',
      donor: 'text',
      donorName: 'text',
      year: 'number',
      periodEnd: 'number',
      amountUsd: 'number',
      entries: 'number',
    },
    drill: ['reference', 'pledgeRef'],
    params: (p, state = null) => [
      p.fromTs,
      p.toTsExclusive,
      Number(p.fromDate.slice(0, 4)),
      Number(p.toDate.slice(0, 4)),
      state,
    ],
    sql: `
WITH annex AS (
  SELECT 'annex'::text AS source, c.donor, d.name AS donor_name, c.year, c.period_end, c.amount_usd AS amount, NULL::text AS reference, NULL::text AS pledge_ref
    FROM donor_contributions c JOIN donors d ON d.code = c.donor
   -- The annex counts no State's requests: not shown when the report is scoped to a State.
   WHERE c.year <= $4 AND coalesce(c.period_end, c.year) >= $3 AND $5::char(3) IS NULL
),
funding AS (
  SELECT e.request_id, e.occurred_at, e.payload ->> 'donor' AS donor_raw, btrim(e.payload ->> 'donor') AS donor_key,
         e.payload ->> 'amountUsd' AS amount, e.payload ->> 'pledgeRef' AS pledge_ref
    FROM request_events e
   WHERE e.type = 'record_funding' AND e.occurred_at >= $1 AND e.occurred_at < $2
),
donor_match AS (
  -- The donor named by each distinct text (by code first, else by name): looked up once per donor
  -- text rather than once per funding event (a NULL donor matches none, as before).
  SELECT k.donor_key, d.code, d.name
    FROM (SELECT DISTINCT f.donor_key FROM funding f) k
    LEFT JOIN LATERAL (
      SELECT dn.code, dn.name FROM donors dn
       WHERE upper(dn.code) = upper(k.donor_key) OR lower(dn.name) = lower(k.donor_key)
       ORDER BY (upper(dn.code) = upper(k.donor_key)) DESC LIMIT 1) d ON true
),
recorded AS (
  SELECT 'recorded'::text AS source, coalesce(d.code, f.donor_raw) AS donor, coalesce(d.name, f.donor_raw) AS donor_name,
         extract(year FROM f.occurred_at AT TIME ZONE 'UTC')::int AS year, NULL::int AS period_end,
         f.amount::numeric::bigint AS amount, r.reference, f.pledge_ref
    FROM funding f
    JOIN assistance_requests r ON r.id = f.request_id
    LEFT JOIN donor_match d ON d.donor_key = f.donor_key
   WHERE ${inState('r.member_state', 5)}
),
allc AS (SELECT * FROM annex UNION ALL SELECT * FROM recorded)
SELECT a.source, CASE WHEN GROUPING(a.donor) = 1 THEN 'total' ELSE 'donor_year' END AS scope,
       a.donor, CASE WHEN GROUPING(a.donor) = 0 THEN min(a.donor_name) END AS "donorName", a.year,
       CASE WHEN GROUPING(a.donor) = 0 THEN min(a.period_end) END AS "periodEnd",
       sum(a.amount)::bigint AS "amountUsd", count(*)::int AS entries,
       ${drill(['a.reference', 'a.pledge_ref'], 'a.reference IS NOT NULL')} AS drilldown
  FROM allc a
 GROUP BY GROUPING SETS ((a.source, a.donor, a.year), (a.source))
 ORDER BY a.source, GROUPING(a.donor), a.year, a.donor`,
  },

  'stage-times': {
    title: 'Time in each stage',
    description:
      'Stays in a stage that ended in the period (a stage_changed event leaving it), per stage: how many, and their average, median, shortest and longest length in days. A stay starts at the submitted or stage_changed event before it.',
    columns: {
      stage: 'text',
      stays: 'number',
      avgDays: 'number',
      medianDays: 'number',
      minDays: 'number',
      maxDays: 'number',
    },
    drill: ['reference'],
    params: instants,
    sql: `
WITH stays AS MATERIALIZED (
  -- One row per stay, written with the stage_changed event that ended it (request_stage_stays,
  -- migration StageStays): an index range on left_at, no sort of the log, no lookups.
  SELECT s.reference, s.stage, extract(epoch FROM s.left_at - s.entered_at) / 86400.0 AS days
    FROM request_stage_stays s
   WHERE s.left_at >= $1 AND s.left_at < $2 AND ${requestInState('s.request_id', 3)}
)
SELECT s.stage, count(*)::int AS stays,
       round(avg(s.days)::numeric, 2) AS "avgDays",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY s.days))::numeric, 2) AS "medianDays",
       round(min(s.days)::numeric, 2) AS "minDays",
       round(max(s.days)::numeric, 2) AS "maxDays",
       ${drill(['s.reference'])} AS drilldown
  FROM stays s
 GROUP BY s.stage
 ORDER BY array_position(${STAGE_ORDER}, s.stage), s.stage`,
  },

  'deadlines-missed': {
    title: 'Deadlines missed per stage',
    description:
      "Overdue events (a stage owner missed the stage deadline; CTED missed the deadline to record an external referral's outcome, counted under external_referral) in the period, per stage, with the number of distinct requests.",
    columns: { scope: 'text', stage: 'text', deadlinesMissed: 'number', requests: 'number' },
    drill: ['reference'],
    params: instants,
    sql: `
SELECT CASE WHEN GROUPING(${MISSED_STAGE}) = 1 THEN 'total' ELSE 'stage' END AS scope,
       ${MISSED_STAGE} AS stage,
       count(*)::int AS "deadlinesMissed", count(DISTINCT e.request_id)::int AS requests,
       ${drill(['r.reference'])} AS drilldown
  FROM request_events e JOIN assistance_requests r ON r.id = e.request_id
 WHERE e.type IN ('overdue', 'referral_overdue') AND e.occurred_at >= $1 AND e.occurred_at < $2
   AND ${inState('r.member_state', 3)}
 GROUP BY ROLLUP (${MISSED_STAGE})
 ORDER BY GROUPING(${MISSED_STAGE}), array_position(${STAGE_ORDER}, ${MISSED_STAGE}), ${MISSED_STAGE}`,
  },

  'open-requests': {
    title: 'Open requests by stage and region',
    description:
      'Requests not closed (as of now), submitted in the period, per stage and region, with how many are overdue.',
    columns: { scope: 'text', stage: 'text', region: 'text', requests: 'number', overdue: 'number' },
    drill: ['reference'],
    params: instants,
    sql: `
SELECT CASE WHEN GROUPING(r.stage) = 1 THEN 'total' WHEN GROUPING(r.region) = 1 THEN 'stage' ELSE 'stage_region' END AS scope,
       r.stage, r.region, count(*)::int AS requests, count(*) FILTER (WHERE r.overdue)::int AS overdue,
       ${drill(['r.reference'])} AS drilldown
  FROM assistance_requests r
 WHERE r.stage <> 'closed' AND r.submitted_at >= $1 AND r.submitted_at < $2 AND ${inState('r.member_state', 3)}
 GROUP BY GROUPING SETS ((r.stage, r.region), (r.stage), ())
 ORDER BY GROUPING(r.stage), array_position(${STAGE_ORDER}, r.stage::text), GROUPING(r.region), r.region`,
  },
};
