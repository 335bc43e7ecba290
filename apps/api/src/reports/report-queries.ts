/**
 * The reports as SQL: one statement per report, run as is by ReportsService and explained by
 * test/reports-scale.e2e-spec.ts. Definitions, sources and counting rules: docs/REPORTS.md.
 */

/**
 * Run before each report, in its own transaction: reports only read; JIT compilation costs more
 * than it saves on these index-driven queries (measured at 100k requests, docs/REPORTS.md); and a
 * runaway period cannot hold a connection for long.
 */
export const REPORT_TRANSACTION_SETTINGS = `SET TRANSACTION READ ONLY; SET LOCAL jit = off; SET LOCAL statement_timeout = '30s'; SET LOCAL work_mem = '32MB'`;

/** Drill-down lists carry at most this many items; `total` always gives the full count. */
export const DRILL_LIMIT = 100;

export const REPORT_NAMES = [
  'states-assisted',
  'activities-by-modality',
  'participants',
  'outcomes',
  'referral-funnel',
  'contributions',
  'stage-times',
  'deadlines-missed',
  'open-requests',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** Inclusive dates YYYY-MM-DD; the bounds when a caller gives none. */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2999-12-31';

export interface Period {
  /** As asked (null = unbounded). */
  from: string | null;
  to: string | null;
  /** Inclusive dates used in the queries. */
  fromDate: string;
  toDate: string;
  /** [fromTs, toTsExclusive): UTC instants for timestamp columns. */
  fromTs: string;
  toTsExclusive: string;
}

export function periodOf(from?: string | null, to?: string | null): Period {
  const fromDate = from ?? EARLIEST_DATE;
  const toDate = to ?? LATEST_DATE;
  const next = new Date(`${toDate}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return {
    from: from ?? null,
    to: to ?? null,
    fromDate,
    toDate,
    fromTs: `${fromDate}T00:00:00.000Z`,
    toTsExclusive: next.toISOString(),
  };
}

export type ColumnType = 'text' | 'number' | 'boolean' | 'list';

/** The fields of a drill-down item, in order: SQL returns each item as one text key, fields joined by DRILL_FIELD_SEPARATOR. */
export type DrillFields = readonly string[];

export interface ReportDefinition {
  title: string;
  description: string;
  /** Output columns in order (the CSV header), besides the drill-down. */
  columns: Record<string, ColumnType>;
  drill: DrillFields;
  sql: string;
  /** The statement's parameters; the last one is always the State the figures are scoped to (null: every State). */
  params(p: Period, state?: string | null): unknown[];
  /**
   * True when the unscoped statement reads month summaries (migration ReportSummaries): the service
   * refreshes their stale months before running it. The result is exact without a refresh.
   */
  summarized?: boolean;
}

/**
 * True for every row when parameter $n (the caller's State scope) is null, else only for rows of
 * that State. A focal point's State is always bound here by the service, never taken from the client.
 */
const inState = (column: string, n: number) => `($${n}::char(3) IS NULL OR ${column} = $${n}::char(3))`;
/** The same, for a row that holds only its request's id. */
const requestInState = (requestId: string, n: number) =>
  `($${n}::char(3) IS NULL OR EXISTS (SELECT 1 FROM assistance_requests sr WHERE sr.id = ${requestId} AND sr.member_state = $${n}::char(3)))`;

/** Separates the fields of a drill-down item (unit separator). */
export const DRILL_FIELD_SEPARATOR = '\u001f';

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
 * Month summaries (migration ReportSummaries, docs/REPORTS.md "Month summaries"): the unscoped
 * figures of whole months whose summary rows are current. A month is 'YYYY-MM'; a marker in
 * report_summary_stale visible to the statement means its summary rows may be behind the detail
 * rows, so the month is read from the detail rows instead. State-scoped figures never use them.
 * The stale months are read once per statement (an array), not probed for every summary row.
 */
const STALE = (source: 'delivered' | 'stays', month: string) =>
  `(${month} = ANY ((SELECT coalesce(array_agg(DISTINCT k.month), '{}') FROM report_summary_stale k WHERE k.source = '${source}')::text[]))`;

/**
 * Delivered activities' months: a month is whole in the period [$1, $2] (inclusive YYYY-MM-DD
 * dates) when its first and last possible deliveredOn lie in it. USED_MONTH: a month read from
 * the summaries (unscoped only: whole, without a marker); `detail_ranges`: the date ranges read
 * from the detail rows (scoped: the whole period; unscoped: the period's first and last months when
 * cut, and the whole months with a marker).
 */
const USED_MONTH = (month: string) =>
  `$3::char(3) IS NULL AND ${month} >= left($1, 7) AND ${month} <= left($2, 7) AND $1 <= ${month} || '-01' AND ${month} || '-31' <= $2
   AND NOT ${STALE('delivered', month)}`;
const DELIVERED_MONTHS = `
  detail_ranges AS MATERIALIZED (
    SELECT $1::text AS lo, $2::text AS hi WHERE $3::char(3) IS NOT NULL
    UNION ALL
    SELECT greatest($1, m.month || '-01'), least($2, m.month || '-31')
      FROM (SELECT left($1, 7) AS month UNION SELECT left($2, 7)
            UNION SELECT k.month FROM report_summary_stale k WHERE k.source = 'delivered') m
     WHERE $3::char(3) IS NULL AND m.month >= left($1, 7) AND m.month <= left($2, 7)
       AND NOT ($1 <= m.month || '-01' AND m.month || '-31' <= $2 AND NOT ${STALE('delivered', 'm.month')})
  )`;

/**
 * Delivered activities whose reported delivery date falls in [$1, $2] (text dates compare as
 * dates), read from delivered_activities (one narrow row per delivered delivery_activities row,
 * kept on write: migration DeliveredActivities). `delivered_rows` has one row per request an
 * activity served (a shared regional activity has one per linked request, all with the same
 * activity_ref); `delivered` has one row per activity (activity_ref), represented in drill-downs
 * by its linked request with the smallest reference; its `item` is that drill-down item, so an
 * activity is one item and a figure's drill-down total is its count of activities. With
 * `summarized`, only the rows of detail_ranges (DELIVERED_MONTHS): the rest comes from the month
 * summaries.
 */
const deliveredCtes = (materialized: boolean, summarized = false) => `
  ${summarized ? `${DELIVERED_MONTHS},` : ''}
  delivered_rows AS NOT MATERIALIZED (
    SELECT d.request_id, d.key, d.reference, d.activity_ref, d.member_state, d.region, d.modality, d.participant_states, d.participants,
           d.professions, d.officials, d.item
      FROM ${
        summarized
          ? `detail_ranges dr_ CROSS JOIN LATERAL (SELECT * FROM delivered_activities d0 WHERE d0.delivered_on >= dr_.lo AND d0.delivered_on <= dr_.hi) d`
          : `delivered_activities d`
      }
     WHERE d.delivered_on >= $1 AND d.delivered_on <= $2 AND ${inState('d.member_state', 3)}
  ),
  delivered AS ${materialized ? 'MATERIALIZED' : 'NOT MATERIALIZED'} (
    -- An ordinary activity has one row (its activity_ref is its reference and key): no sort needed.
    SELECT r.request_id, r.key, r.reference, r.activity_ref, r.modality, r.participant_states, r.participants,
           r.professions, r.officials, r.item
      FROM delivered_rows r
     WHERE r.activity_ref NOT LIKE 'shared/%'
    UNION ALL
    (SELECT DISTINCT ON (r.activity_ref) r.request_id, r.key, r.reference, r.activity_ref, r.modality, r.participant_states, r.participants,
            r.professions, r.officials, r.item
       FROM delivered_rows r
      WHERE r.activity_ref LIKE 'shared/%'
      ORDER BY r.activity_ref, r.reference COLLATE "C", r.key COLLATE "C")
  )`;
/**
 * The summary rows of one kind (delivered_month_groups) for the used months, as (key, activities,
 * amount, items).
 */
const monthGroups = (kind: string) =>
  `(SELECT mg.key, mg.activities, mg.amount, mg.items FROM delivered_month_groups mg WHERE mg.kind = '${kind}' AND ${USED_MONTH('mg.month')})`;
/**
 * The first DRILL_LIMIT items of a group: its detail items (a query of `item`) and its used
 * months' lists. A month's list can hold one only if its first item is not above `bound`, the last
 * item of the list where the lists, taken by their last items, first hold DRILL_LIMIT items in all
 * (so at least DRILL_LIMIT items are at or below it): the other lists are not read.
 */
const mergedItems = (detail: string, kind: string, key: string) => {
  const lists = `delivered_month_groups mg WHERE mg.kind = '${kind}' AND mg.key = ${key} AND ${USED_MONTH('mg.month')}`;
  const last = `mg.items[cardinality(mg.items)]`;
  const bound = `(SELECT b.last FROM (SELECT ${last} AS last, sum(cardinality(mg.items)) OVER (ORDER BY ${last}) AS n FROM ${lists}) b
      WHERE b.n >= ${DRILL_LIMIT} ORDER BY b.last LIMIT 1)`;
  return `coalesce(to_jsonb(ARRAY(SELECT x.item FROM (${detail} UNION ALL
     SELECT unnest(mg.items) FROM ${lists} AND coalesce(mg.items[1] <= ${bound}, true)) x(item)
     ORDER BY x.item COLLATE "C" LIMIT ${DRILL_LIMIT})), '[]'::jsonb)`;
};

/** For reports that read the delivered activities more than once, with the month summaries. */
const DELIVERED = deliveredCtes(true, true);

/**
 * The first DRILL_LIMIT items (bytewise) of the rows of `source` that match `match`, as the
 * drill-down's jsonb list: for figures whose rows are distinct items, so their count is the total.
 */
const firstItems = (source: string, match: string) =>
  `coalesce(to_jsonb(ARRAY(SELECT t.item FROM ${source} t WHERE ${match} ORDER BY t.item LIMIT ${DRILL_LIMIT})), '[]'::jsonb)`;

const STAGE_ORDER = `ARRAY['cted_review','awaiting_information','external_referral','unodc_planning','awaiting_funding','delivery','follow_up_evaluation','closed']`;
const LEVEL_ORDER = `ARRAY['national','subregional','regional','international','unknown']`;

/**
 * The contributions drill-down, the same as drill(['a.reference', 'a.pledge_ref'], 'a.reference
 * IS NOT NULL') but without de-duplicating every row: a pledge (reference, pledgeRef) is one row
 * unless its request records the pledgeRef twice (dup, which the domain refuses), so only
 * those rows are de-duplicated; the others are counted and sorted once.
 */
const PLEDGE = itemKey(['a.reference', 'a.pledge_ref']);
const pledgeDrill = `jsonb_build_object(
    'total', count(*) FILTER (WHERE a.reference IS NOT NULL AND NOT a.dup) + count(DISTINCT ${PLEDGE}) FILTER (WHERE a.reference IS NOT NULL AND a.dup),
    'items', to_jsonb(ARRAY(SELECT x FROM unnest(
        (array_agg(${PLEDGE} ORDER BY ${PLEDGE}) FILTER (WHERE a.reference IS NOT NULL AND NOT a.dup))[1:${DRILL_LIMIT}]
        || (array_agg(DISTINCT ${PLEDGE}) FILTER (WHERE a.reference IS NOT NULL AND a.dup))[1:${DRILL_LIMIT}]) AS x
      ORDER BY x COLLATE "C" LIMIT ${DRILL_LIMIT})))`;

/** A 'YYYY-MM' month as UTC instants [start, end). */
const monthStart = (month: string) => `((${month} || '-01')::timestamp AT TIME ZONE 'UTC')`;
const monthEnd = (month: string) => `(((${month} || '-01')::timestamp + interval '1 month') AT TIME ZONE 'UTC')`;
const stayMonth = (at: string) => `to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM')`;
/** The later (or, with '<', earlier) stays of the same request, stage and reference as stay `d`. */
const siblings = (d: string, op: '<' | '>') =>
  `request_stage_stays e WHERE e.request_id = ${d}.request_id AND e.stage IS NOT DISTINCT FROM ${d}.stage AND e.reference = ${d}.reference
      AND (e.left_at, e.seq) ${op} (${d}.left_at, ${d}.seq)`;
/** A stay's length in days, as stage-times computes it. */
const DAYS = (x: string) => `extract(epoch FROM ${x}.left_at - ${x}.entered_at) / 86400.0`;
/** The stays of stage `stage` in the period, in length bin `bin`, shortest first. */
const inBin = (stage: string, bin: string) =>
  `request_stage_stays x WHERE x.stage = ${stage} AND stage_stay_bin(x.entered_at, x.left_at) = ${bin}
      AND x.left_at >= $1 AND x.left_at < $2 ORDER BY x.left_at - x.entered_at`;

/**
 * stage-times over every State (unscoped, $3 null): `stage_agg`, one row per stage with stays, the
 * sum, minimum and maximum of their lengths in days, the median (exactly percentile_cont(0.5) over
 * the float8 days: the one or two middle values, located by the running count of the length bins,
 * then read in length order from idx_request_stage_stays_bin), refs (stays with a reference) and
 * repeats (those whose previous stay of the same request, stage and reference ended in the period:
 * refs - repeats is the count of distinct references), and the first DRILL_LIMIT distinct
 * references (bytewise; NULL last, as array_agg(DISTINCT) puts it, when a stay has none).
 */
/** A stay month read from the summaries: unscoped, wholly in [$1, $2), without a marker. */
const USED_STAY_MONTH = (month: string) =>
  `($3::char(3) IS NULL AND ${month} >= ${stayMonth('$1::timestamptz')} AND ${month} <= ${stayMonth("($2::timestamptz - interval '1 microsecond')")}
    AND ${monthStart(month)} >= $1 AND ${monthEnd(month)} <= $2 AND NOT ${STALE('stays', month)})`;
const STAGE_TIMES_MONTHS = `
ranges AS MATERIALIZED (
  SELECT greatest($1::timestamptz, ${monthStart('m.month')}) AS lo, least($2::timestamptz, ${monthEnd('m.month')}) AS hi,
         ${monthStart('m.month')} < $1 AS first_cut
    FROM (SELECT ${stayMonth('$1::timestamptz')} AS month UNION SELECT ${stayMonth("($2::timestamptz - interval '1 microsecond')")}
          UNION SELECT k.month FROM report_summary_stale k WHERE k.source = 'stays') m
   WHERE $3::char(3) IS NULL AND m.month >= ${stayMonth('$1::timestamptz')} AND m.month <= ${stayMonth("($2::timestamptz - interval '1 microsecond')")}
     AND NOT (${monthStart('m.month')} >= $1 AND ${monthEnd('m.month')} <= $2 AND NOT ${STALE('stays', 'm.month')})
),
d AS MATERIALIZED (
  SELECT x.request_id, x.seq, x.reference, x.stage, x.entered_at, x.left_at, ${DAYS('x')} AS days,
         stage_stay_bin(x.entered_at, x.left_at) AS bin, r.first_cut
    FROM ranges r CROSS JOIN LATERAL (SELECT * FROM request_stage_stays x0 WHERE x0.left_at >= r.lo AND x0.left_at < r.hi) x
),
sm AS MATERIALIZED (SELECT s.* FROM stage_stay_months s WHERE ${USED_STAY_MONTH('s.month')}),
rep AS MATERIALIZED (
  -- Stays whose previous stay (same request, stage, reference) ended in the period: in a used month,
  -- the same month's and those of earlier months wholly in the period ...
  SELECT r.stage, sum(r.n) AS n FROM (
    SELECT sm.stage, sm.repeats AS n FROM sm
    UNION ALL
    SELECT p.stage, p.n FROM stage_stay_prev p WHERE ${USED_STAY_MONTH('p.month')} AND ${monthStart('p.prev_month')} >= $1
    UNION ALL
    -- ... or in the period's cut first month (a stay there whose next one is in a used month) ...
    SELECT d.stage, 1 FROM d CROSS JOIN LATERAL (SELECT e.left_at FROM ${siblings('d', '>')} ORDER BY e.left_at, e.seq LIMIT 1) nx
     WHERE d.first_cut AND d.reference IS NOT NULL AND ${USED_STAY_MONTH(stayMonth('nx.left_at'))}
    UNION ALL
    -- ... and the detail stays' own.
    SELECT d.stage, 1 FROM d CROSS JOIN LATERAL (SELECT 1 FROM ${siblings('d', '<')} AND e.left_at >= $1 LIMIT 1) pv
     WHERE d.reference IS NOT NULL
  ) r GROUP BY r.stage
),
bins AS MATERIALIZED (
  SELECT x.stage, x.bin, sum(x.n)::bigint AS n, (sum(sum(x.n)) OVER (PARTITION BY x.stage ORDER BY x.bin))::bigint - sum(x.n)::bigint AS before,
         min(x.lo) AS lo, max(x.hi) AS hi
    FROM (SELECT b.stage, b.bin, b.n, b.lo_days AS lo, b.hi_days AS hi FROM stage_stay_bins b WHERE ${USED_STAY_MONTH('b.month')}
          UNION ALL SELECT d.stage, d.bin, count(*), min(d.days), max(d.days) FROM d GROUP BY d.stage, d.bin) x
   GROUP BY x.stage, x.bin
),
agg AS (
  SELECT x.stage, sum(x.stays)::int AS stays, sum(x.sum_days) AS sum_days, min(x.min_days) AS min_days, max(x.max_days) AS max_days,
         sum(x.refs)::int AS refs, sum(x.null_refs)::int AS null_refs
    FROM (SELECT sm.stage, sm.stays, sm.sum_days, sm.min_days, sm.max_days, sm.refs, sm.null_refs FROM sm
          UNION ALL
          SELECT d.stage, count(*), sum(d.days), min(d.days), max(d.days), count(d.reference), count(*) FILTER (WHERE d.reference IS NULL)
            FROM d GROUP BY d.stage) x
   GROUP BY x.stage
),
mid AS (
  -- The middle positions (0-based, as percentile_cont: floor and ceil of (n - 1) / 2), each with its
  -- bin, its offset in the bin, and the bin's shortest and longest stay.
  SELECT a.*, (a.stays - 1) / 2 AS k1, a.stays / 2 AS k2,
         b1.bin AS bin1, (a.stays - 1) / 2 - b1.before AS off1, b1.lo AS lo1, b1.hi AS hi1,
         b2.bin AS bin2, a.stays / 2 - b2.before AS off2, b2.lo AS lo2, b2.hi AS hi2
    FROM agg a
    LEFT JOIN bins b1 ON b1.stage = a.stage AND b1.before <= (a.stays - 1) / 2 AND (a.stays - 1) / 2 < b1.before + b1.n
    LEFT JOIN bins b2 ON b2.stage = a.stage AND b2.before <= a.stays / 2 AND a.stays / 2 < b2.before + b2.n
),
vals AS MATERIALIZED (
  -- The middle values (float8, as percentile_cont sorts them): a bin whose stays all have one length
  -- gives it at once, otherwise its stays are read in length order (one scan for both when they
  -- share a bin).
  SELECT m.*,
         CASE WHEN m.lo1 = m.hi1 THEN m.lo1::float8 ELSE w.v[1] END AS v1,
         CASE WHEN m.k2 = m.k1 THEN CASE WHEN m.lo1 = m.hi1 THEN m.lo1::float8 ELSE w.v[1] END
              WHEN m.lo2 = m.hi2 THEN m.lo2::float8
              WHEN m.bin2 = m.bin1 THEN w.v[2]
              ELSE (SELECT (${DAYS('x')})::float8 FROM ${inBin('m.stage', 'm.bin2')} OFFSET m.off2 LIMIT 1) END AS v2,
         -- A month list holding DRILL_LIMIT distinct references ends at or after the last drill-down
         -- item, so a list starting after the smallest such end holds none of them.
         (SELECT min(sm.items[${DRILL_LIMIT}]) FROM sm WHERE sm.stage IS NOT DISTINCT FROM m.stage) AS bound
    FROM mid m
    LEFT JOIN LATERAL (
      SELECT ARRAY(SELECT (${DAYS('x')})::float8 FROM ${inBin('m.stage', 'm.bin1')} OFFSET m.off1 LIMIT 2) AS v
       WHERE m.lo1 IS DISTINCT FROM m.hi1 OR (m.k2 <> m.k1 AND m.bin2 = m.bin1 AND m.lo2 IS DISTINCT FROM m.hi2)) w ON true
),
stage_agg AS (
  SELECT v.stage, v.stays, v.sum_days, v.min_days, v.max_days, v.refs,
         coalesce((SELECT r.n FROM rep r WHERE r.stage IS NOT DISTINCT FROM v.stage), 0)::int AS repeats,
         CASE WHEN v.stage IS NULL
              THEN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DAYS('x')}) FROM request_stage_stays x
                     WHERE x.stage IS NULL AND x.left_at >= $1 AND x.left_at < $2)
              WHEN v.k1 = v.k2 THEN v.v1
              ELSE v.v1 + 0.5::float8 * (v.v2 - v.v1) END AS median,
         (SELECT items || CASE WHEN v.null_refs > 0 AND cardinality(items) < ${DRILL_LIMIT} THEN ARRAY[NULL::text] ELSE '{}' END
            FROM (SELECT ARRAY(SELECT u.x FROM (SELECT unnest(sm.items) FROM sm WHERE sm.stage IS NOT DISTINCT FROM v.stage
                                                   AND coalesce(sm.items[1] <= v.bound, true)
                                                UNION SELECT d.reference::text COLLATE "C" FROM d WHERE d.stage IS NOT DISTINCT FROM v.stage AND d.reference IS NOT NULL) u(x)
                                 ORDER BY u.x COLLATE "C" LIMIT ${DRILL_LIMIT}) AS items) i) AS items
    FROM vals v
)`;

const dates = (p: Period, state: string | null = null) => [p.fromDate, p.toDate, state];
const instants = (p: Period, state: string | null = null) => [p.fromTs, p.toTsExclusive, state];

export const REPORTS: Record<ReportName, ReportDefinition> = {
  'states-assisted': {
    title: 'States assisted',
    description:
      'Distinct States with at least one activity delivered in the period, per region: the requesting State of each delivered activity and every State with participants in it.',
    columns: { scope: 'text', region: 'text', states: 'number', activities: 'number', stateCodes: 'list' },
    drill: ['reference', 'activityKey'],
    params: dates,
    summarized: true,
    sql: `
WITH ${DELIVERED},
served AS (
  -- The requesting State of every request the activity served (each linked request of a shared one) ...
  SELECT dl.activity_ref, dl.item, dr.member_state::text AS iso3, dr.region AS request_region
    FROM delivered_rows dr
    JOIN delivered dl ON dl.activity_ref = dr.activity_ref
   WHERE dr.member_state IS NOT NULL
  UNION ALL
  -- ... and every State with participants in it.
  SELECT dl.activity_ref, dl.item, c.iso3, NULL
    FROM delivered dl CROSS JOIN LATERAL unnest(dl.participant_states) AS c(iso3)
),
placed AS MATERIALIZED (
  SELECT s.activity_ref, s.item, s.iso3, coalesce(ms.region, s.request_region, 'Other') AS region
    FROM served s LEFT JOIN member_states ms ON ms.iso3 = s.iso3
   -- Scoped to a State: the other States with participants in a shared activity are not shown.
   WHERE ${inState('s.iso3', 3)}
),
-- Each activity once per region it served (an activity is one drill-down item), and each State once.
ra AS MATERIALIZED (SELECT DISTINCT p.region, p.activity_ref, p.item FROM placed p),
-- The States of each region: the detail rows' and the used months' (a set: counted once).
rs AS MATERIALIZED (
  SELECT p.region, p.iso3 FROM placed p
  UNION
  SELECT s.region, s.iso3 FROM delivered_month_states s WHERE ${USED_MONTH('s.month')}
),
ta AS MATERIALIZED (SELECT DISTINCT ra.activity_ref, ra.item FROM ra),
top AS MATERIALIZED (
  SELECT x.region, x.item FROM (SELECT ra.region, ra.item, row_number() OVER (PARTITION BY ra.region COLLATE "C" ORDER BY ra.item) AS rn FROM ra) x
   WHERE x.rn <= ${DRILL_LIMIT}
),
-- An activity lies in one month, so counts of distinct activities add up across months and the detail rows.
regions AS (
  SELECT x.region, sum(x.n)::int AS n
    FROM (SELECT ra.region, count(*) AS n FROM ra GROUP BY ra.region
          UNION ALL SELECT m.key, m.activities FROM ${monthGroups('region')} m) x
   GROUP BY x.region
),
g AS (
  SELECT 0 AS gr, r.region, r.n FROM regions r
  UNION ALL
  SELECT 1, NULL, ((SELECT count(*) FROM ta) + (SELECT coalesce(sum(m.activities), 0) FROM ${monthGroups('placed')} m))::int
)
SELECT CASE WHEN g.gr = 1 THEN 'total' ELSE 'region' END AS scope,
       g.region,
       (SELECT count(DISTINCT rs.iso3) FROM rs WHERE g.gr = 1 OR rs.region = g.region)::int AS states,
       g.n AS activities,
       (SELECT array_agg(DISTINCT rs.iso3 ORDER BY rs.iso3) FROM rs WHERE g.gr = 1 OR rs.region = g.region) AS "stateCodes",
       jsonb_build_object('total', g.n, 'items', CASE WHEN g.gr = 1
            THEN ${mergedItems('SELECT DISTINCT top.item FROM top', 'placed', "''")}
            ELSE ${mergedItems('SELECT t.item FROM top t WHERE t.region = g.region', 'region', 'g.region')} END) AS drilldown
  FROM g
 ORDER BY g.gr, g.region`,
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
WITH ${deliveredCtes(false)},
m AS MATERIALIZED (
  SELECT dl.activity_ref, dl.item, dl.modality, coalesce(dm.reporting_level, 'unknown') AS level, dm.name, dm.level AS form
    FROM delivered dl LEFT JOIN delivery_modalities dm ON dm.code = dl.modality
),
-- The first items of each modality (one sort of the activities, not one per figure): a level's
-- and the total's first items are among its modalities' first items.
top AS MATERIALIZED (
  SELECT x.level, x.modality, x.item
    FROM (SELECT m.level, m.modality, m.item, row_number() OVER (PARTITION BY m.level COLLATE "C", m.modality COLLATE "C" ORDER BY m.item) AS rn FROM m) x
   WHERE x.rn <= ${DRILL_LIMIT}
),
g AS (
  SELECT GROUPING(m.level) AS gl, GROUPING(m.modality) AS gm, m.level, m.modality, m.name, m.form, count(*)::int AS activities
    FROM m
   GROUP BY GROUPING SETS ((m.level, m.modality, m.name, m.form), (m.level), ())
)
SELECT CASE WHEN g.gl = 1 THEN 'total' WHEN g.gm = 1 THEN 'level' ELSE 'modality' END AS scope,
       CASE WHEN g.gl = 1 THEN NULL ELSE g.level END AS level,
       CASE WHEN g.gm = 1 THEN NULL ELSE g.modality END AS modality,
       CASE WHEN g.gm = 1 THEN NULL ELSE g.name END AS "modalityName",
       CASE WHEN g.gm = 1 THEN NULL ELSE g.form END AS form,
       g.activities,
       jsonb_build_object('total', g.activities,
         'items', ${firstItems('top', '(g.gl = 1 OR t.level = g.level) AND (g.gm = 1 OR t.modality = g.modality)')}) AS drilldown
  FROM g
 ORDER BY g.gl, array_position(${LEVEL_ORDER}, g.level), g.gm, g.modality`,
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
    summarized: true,
    sql: `
WITH ${DELIVERED},
ps AS MATERIALIZED (
  SELECT dl.activity_ref, dl.item, c.iso3, c.n FROM delivered dl CROSS JOIN LATERAL unnest(dl.participant_states, dl.participants) AS c(iso3, n)
   WHERE ${inState('c.iso3', 3)}
),
op AS MATERIALIZED (
  SELECT dl.activity_ref, dl.item, c.profession, c.n FROM delivered dl CROSS JOIN LATERAL unnest(dl.professions, dl.officials) AS c(profession, n)
),
-- An activity counts once per State (per profession) it has participants (officials) of: rows
-- are distinct items within a State (a profession), whose first items come from one sort.
ps_top AS MATERIALIZED (
  SELECT x.iso3, x.item FROM (SELECT ps.iso3, ps.item, row_number() OVER (PARTITION BY ps.iso3 COLLATE "C" ORDER BY ps.item) AS rn FROM ps) x
   WHERE x.rn <= ${DRILL_LIMIT}
),
op_top AS MATERIALIZED (
  SELECT x.profession, x.item FROM (SELECT op.profession, op.item, row_number() OVER (PARTITION BY op.profession COLLATE "C" ORDER BY op.item) AS rn FROM op) x
   WHERE x.rn <= ${DRILL_LIMIT}
),
-- Per State (profession): the detail rows' counts and the used months' (an activity lies in one month).
ps_g AS (
  SELECT ps.iso3 AS key, count(*) AS n, sum(ps.n) AS amount FROM ps GROUP BY ps.iso3
  UNION ALL SELECT m.key, m.activities, m.amount FROM ${monthGroups('state')} m
),
op_g AS (
  SELECT op.profession AS key, count(*) AS n, sum(op.n) AS amount FROM op GROUP BY op.profession
  UNION ALL SELECT m.key, m.activities, m.amount FROM ${monthGroups('profession')} m
),
total AS (
  SELECT ((SELECT count(*) FROM delivered) + (SELECT coalesce(sum(m.activities), 0) FROM ${monthGroups('all')} m))::int AS n
)
SELECT * FROM (
  SELECT 'total' AS scope, NULL::text AS key, NULL::text AS name,
         (SELECT n FROM total) AS activities,
         (SELECT count(DISTINCT x.key) FROM ps_g x)::int AS states,
         (SELECT coalesce(sum(x.amount), 0) FROM ps_g x)::bigint AS participants,
         (SELECT coalesce(sum(x.amount), 0) FROM op_g x)::bigint AS "officialsTrained",
         jsonb_build_object('total', (SELECT n FROM total), 'items', ${mergedItems('SELECT d.item FROM delivered d', 'all', "''")}) AS drilldown
  UNION ALL
  SELECT 'state', x.key, (SELECT min(ms.name) FROM member_states ms WHERE ms.iso3 = x.key), sum(x.n)::int, 1, sum(x.amount)::bigint, NULL::bigint,
         jsonb_build_object('total', sum(x.n)::int, 'items', ${mergedItems('SELECT t.item FROM ps_top t WHERE t.iso3 = x.key', 'state', 'x.key')})
    FROM ps_g x
   GROUP BY x.key
  UNION ALL
  SELECT 'profession', x.key, NULL, sum(x.n)::int, NULL::int, NULL::bigint, sum(x.amount)::bigint,
         jsonb_build_object('total', sum(x.n)::int, 'items', ${mergedItems('SELECT t.item FROM op_top t WHERE t.profession = x.key', 'profession', 'x.key')})
    FROM op_g x
   GROUP BY x.key
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
    // Facts read from request_event_facts (one row per ratification, law or officials trained of a
    // record_indicators event, with the request's reference and State: migration RequestEventFacts).
    sql: `
WITH rat AS (
  -- A fact counts by its own date, and is never recorded before it happened (the validators refuse
  -- future dates), so only decisions recorded since the period began can hold one of its facts.
  SELECT f.reference, f.member_state, f.key AS instrument
    FROM request_event_facts f
   WHERE f.kind = 'ratification' AND f.occurred_at >= $1 AND ${inState('f.member_state', 3)}
     AND (f.fact_on)::date >= ($1::timestamptz AT TIME ZONE 'UTC') AND (f.fact_on)::date < ($2::timestamptz AT TIME ZONE 'UTC')
),
law AS (
  SELECT f.reference, f.member_state, f.key AS status
    FROM request_event_facts f
   WHERE f.kind = 'law' AND f.occurred_at >= $1 AND ${inState('f.member_state', 3)}
     AND (f.fact_on)::date >= ($1::timestamptz AT TIME ZONE 'UTC') AND (f.fact_on)::date < ($2::timestamptz AT TIME ZONE 'UTC')
),
trained AS (
  -- Officials trained carry no date of their own: they count when recorded.
  SELECT f.reference, f.member_state, f.n
    FROM request_event_facts f
   WHERE f.kind = 'trained' AND f.occurred_at >= $1 AND f.occurred_at < $2 AND ${inState('f.member_state', 3)}
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
    // One row per referral, kept on write with its progress (request_referrals, migration
    // RequestReferrals: the same derivation from the log this report used to run per query). A
    // referral is one drill-down item (reference and ref-N identify it), so a row's total is its
    // count, and its first items are read in item order from an index, not sorted out of all.
    sql: `
WITH g AS (
  SELECT GROUPING(f.provider_kind) AS is_total, f.provider_kind, f.provider,
         count(*)::int AS referred,
         count(*) FILTER (WHERE f.planned)::int AS planned,
         count(*) FILTER (WHERE f.delivered)::int AS delivered,
         count(*) FILTER (WHERE f.outcome_recorded)::int AS outcomes_recorded
    FROM request_referrals f
   WHERE f.referred_at >= $1 AND f.referred_at < $2 AND ${inState('f.member_state', 3)}
   GROUP BY GROUPING SETS ((f.provider_kind, f.provider), ())
)
SELECT CASE WHEN g.is_total = 1 THEN 'total' ELSE 'provider' END AS scope,
       g.provider_kind AS "providerKind", g.provider, g.referred,
       CASE WHEN g.is_total = 0 AND g.provider_kind = 'external' THEN NULL ELSE g.planned END AS planned,
       g.delivered, g.outcomes_recorded AS "outcomesRecorded",
       jsonb_build_object('total', g.referred, 'items', coalesce(to_jsonb(ARRAY(
         SELECT i.item FROM request_referrals i
          WHERE i.referred_at >= $1 AND i.referred_at < $2 AND ${inState('i.member_state', 3)}
            AND (g.is_total = 1 OR (i.provider_kind = g.provider_kind AND i.provider = g.provider))
          ORDER BY i.item LIMIT ${DRILL_LIMIT})), '[]'::jsonb)) AS drilldown
  FROM g
 ORDER BY g.is_total, g.provider_kind DESC, g.provider`,
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
  SELECT 'annex'::text AS source, c.donor, d.name AS donor_name, c.year, c.period_end, c.amount_usd AS amount, NULL::text AS reference, NULL::text AS pledge_ref,
         false AS dup
    FROM donor_contributions c JOIN donors d ON d.code = c.donor
   -- The annex counts no State's requests: not shown when the report is scoped to a State.
   WHERE c.year <= $4 AND coalesce(c.period_end, c.year) >= $3 AND $5::char(3) IS NULL
),
funding AS (
  -- Pledges from request_event_facts (migration RequestEventFacts), with the request's reference and State.
  SELECT f.reference, f.member_state, f.occurred_at, f.key AS donor_raw, btrim(f.key) AS donor_key, f.amount, f.fact_on AS pledge_ref, f.dup
    FROM request_event_facts f
   WHERE f.kind = 'funding' AND f.occurred_at >= $1 AND f.occurred_at < $2 AND ${inState('f.member_state', 5)}
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
         f.amount::numeric::bigint AS amount, f.reference::text AS reference, f.pledge_ref, f.dup
    FROM funding f
    LEFT JOIN donor_match d ON d.donor_key = f.donor_key
),
allc AS (SELECT * FROM annex UNION ALL SELECT * FROM recorded)
SELECT a.source, CASE WHEN GROUPING(a.donor) = 1 THEN 'total' ELSE 'donor_year' END AS scope,
       a.donor, CASE WHEN GROUPING(a.donor) = 0 THEN min(a.donor_name) END AS "donorName", a.year,
       CASE WHEN GROUPING(a.donor) = 0 THEN min(a.period_end) END AS "periodEnd",
       sum(a.amount)::bigint AS "amountUsd", count(*)::int AS entries,
       ${pledgeDrill} AS drilldown
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
    summarized: true,
    // Scoped to a State: every stay of the period from request_stage_stays, as before. Every State:
    // the used months from the month summaries (STAGE_TIMES_MONTHS) and the other stays of the
    // period (its cut first and last months, stale months) from request_stage_stays.
    sql: `
WITH stays AS MATERIALIZED (
  -- One row per stay, written with the stage_changed event that ended it (request_stage_stays,
  -- migration StageStays): an index range on left_at, no sort of the log, no lookups.
  SELECT s.reference, s.stage, extract(epoch FROM s.left_at - s.entered_at) / 86400.0 AS days
    FROM request_stage_stays s
   WHERE $3::char(3) IS NOT NULL AND s.left_at >= $1 AND s.left_at < $2 AND ${requestInState('s.request_id', 3)}
),
${STAGE_TIMES_MONTHS}
SELECT * FROM (
  SELECT s.stage, count(*)::int AS stays,
         round(avg(s.days)::numeric, 2) AS "avgDays",
         round((percentile_cont(0.5) WITHIN GROUP (ORDER BY s.days))::numeric, 2) AS "medianDays",
         round(min(s.days)::numeric, 2) AS "minDays",
         round(max(s.days)::numeric, 2) AS "maxDays",
         ${drill(['s.reference'])} AS drilldown
    FROM stays s
   GROUP BY s.stage
  UNION ALL
  SELECT a.stage, a.stays, round(a.sum_days / a.stays::numeric, 2), round(a.median::numeric, 2),
         round(a.min_days::numeric, 2), round(a.max_days::numeric, 2),
         jsonb_build_object('total', a.refs - a.repeats, 'items', to_jsonb(a.items))
    FROM stage_agg a
) s
 ORDER BY array_position(${STAGE_ORDER}, s.stage), s.stage`,
  },

  'deadlines-missed': {
    title: 'Deadlines missed per stage',
    description:
      "Overdue events (a stage owner missed the stage deadline; CTED missed the deadline to record an external referral's outcome, counted under external_referral) in the period, per stage, with the number of distinct requests.",
    columns: { scope: 'text', stage: 'text', deadlinesMissed: 'number', requests: 'number' },
    drill: ['reference'],
    params: instants,
    // Missed deadlines from request_event_facts (migration RequestEventFacts): the stage each counts
    // under, with the request's reference and State.
    sql: `
SELECT CASE WHEN GROUPING(f.key) = 1 THEN 'total' ELSE 'stage' END AS scope,
       f.key AS stage,
       count(*)::int AS "deadlinesMissed", count(DISTINCT f.request_id)::int AS requests,
       ${drill(['f.reference'])} AS drilldown
  FROM request_event_facts f
 WHERE f.kind = 'missed' AND f.occurred_at >= $1 AND f.occurred_at < $2 AND ${inState('f.member_state', 3)}
 GROUP BY ROLLUP (f.key)
 ORDER BY GROUPING(f.key), array_position(${STAGE_ORDER}, f.key), f.key`,
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
