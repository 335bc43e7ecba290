import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ReportRepository, dataSourceOptions, ensureDatabase, withoutReadModelTriggers } from '@app/persistence';
import {
  REPORTS,
  REPORT_NAMES,
  REPORT_TRANSACTION_SETTINGS,
  ReportName,
  periodOf,
} from '../apps/api/src/reports/report-queries';
import { ReportsService } from '../apps/api/src/reports/reports.service';
import { loadMemberStates, loadReferenceData } from '../seeds/src/seed-loaders';
import { readTestEnv } from './support/test-env';

/**
 * 100,000 requests spread over 2020-2029 with ~7 events each and ~80,000 delivery activities
 * (~0.9 million events), written set-based into a database of their own, then every report
 * query explained: over one month no big table may be read by a Seq Scan (and the query takes
 * well under a second); over a whole year every report must still finish under 5 s, and over
 * the whole history (where scans become the cheaper plan) under 10 s. Findings are written to
 * .data/reports-scale.json (summarised in docs/REPORTS.md).
 */
jest.setTimeout(180_000);

const REQUESTS = 100_000;
const BIG_TABLES = ['request_events', 'assistance_requests', 'delivery_activities'];
const MONTH = periodOf('2025-03-01', '2025-03-31');
const YEAR = periodOf('2025-01-01', '2025-12-31');
const BOUND_MS = 5_000;
/** The whole ten-year history in one report: a scan is the right plan there; a more generous bound. */
const HISTORY_BOUND_MS = 10_000;
const FINDINGS_FILE = path.resolve(__dirname, '..', '.data', 'reports-scale.json');

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

const scanOf = (n: PlanNode) =>
  n['Relation Name']
    ? `${n['Node Type']} on ${n['Relation Name']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`
    : null;

/** Kinds of request, by i % 10: how far each got. */
const FILL = [
  // Requests: kind 0 waits in CTED review; 1-3 referred to an external provider (1 delivered, 2 not, 3 pending);
  // 4 in UNODC planning; 5 awaiting funding; 6 in delivery; 7-9 completed.
  `INSERT INTO scale_seed (i, k, id, reference, member_state, region, t0)
   SELECT i, i % 10, md5('scale-request-' || i)::uuid, 'SCALE-' || lpad(i::text, 7, '0'), ms.iso3, ms.region,
          timestamptz '2020-01-01 00:00:00+00' + (i::bigint * 3153) * interval '1 second'
     FROM generate_series(1, ${REQUESTS}) AS i
     JOIN (SELECT iso3, region, row_number() OVER (ORDER BY iso3) - 1 AS n FROM member_states) ms ON ms.n = i % 193`,
  `INSERT INTO assistance_requests (id, reference, member_state, region, thematic_areas, origin, title, stage, outcome, owner_role, overdue,
     last_event_seq, submitted_at, workflow_id)
   SELECT s.id, s.reference, s.member_state, s.region, ARRAY['legislative_incorporation'], 'member_state', 'Scale request ' || s.i,
          st.stage, st.outcome, NULL, (s.i % 7 = 0 AND st.stage <> 'closed'), 20, s.t0, 'assistance-request/' || s.reference
     FROM scale_seed s
     JOIN (VALUES (0, 'cted_review', NULL), (1, 'closed', 'referred_externally_delivered'), (2, 'closed', 'referred_externally_not_delivered'),
                  (3, 'external_referral', NULL), (4, 'unodc_planning', NULL), (5, 'awaiting_funding', NULL), (6, 'delivery', NULL),
                  (7, 'closed', 'completed'), (8, 'closed', 'completed'), (9, 'closed', 'completed')) AS st(k, stage, outcome) ON st.k = s.k`,
  // Request-stream events: template seq / type / day offset, kept when it applies to the kind. Gaps in seq are harmless here.
  `INSERT INTO request_events (request_id, stream, seq, type, actor_user_id, actor_role, occurred_at, payload, prev_hash, hash)
   SELECT s.id, s.id::text, t.seq, t.type, 'scale', 'system', s.t0 + t.days * interval '1 day',
          CASE t.seq
            WHEN 1 THEN jsonb_build_object('reference', s.reference, 'memberState', s.member_state, 'origin', 'member_state')
            WHEN 2 THEN '{"stage":"cted_review","owner":"cted_officer"}'::jsonb
            WHEN 3 THEN jsonb_build_object('referrals', jsonb_build_array(jsonb_build_object('needIds', '["need-1"]'::jsonb, 'rationale', 'scale',
                          'provider', CASE WHEN s.k BETWEEN 1 AND 3 THEN jsonb_build_object('kind', 'external', 'name', 'Provider ' || (s.i % 7))
                                           ELSE '{"kind":"unodc_tpb"}'::jsonb END)))
            WHEN 4 THEN jsonb_build_object('from', 'cted_review', 'to', CASE WHEN s.k BETWEEN 1 AND 3 THEN 'external_referral' ELSE 'unodc_planning' END)
            WHEN 5 THEN jsonb_build_object('referralId', 'ref-1', 'delivered', s.k = 1, 'notes', 'scale')
            WHEN 6 THEN '{"from":"external_referral","to":"closed"}'::jsonb
            WHEN 7 THEN jsonb_build_object('outcome', CASE WHEN s.k = 1 THEN 'referred_externally_delivered' ELSE 'referred_externally_not_delivered' END)
            WHEN 8 THEN '{"stage":"unodc_planning","owner":"unodc_manager"}'::jsonb
            WHEN 10 THEN '{"from":"unodc_planning","to":"awaiting_funding"}'::jsonb
            WHEN 11 THEN jsonb_build_object('pledgeRef', 'P-' || s.i, 'donor', (ARRAY['SWE','DEU','DNK','NOR','Sweden','Gulf Fund'])[1 + s.i % 6], 'amountUsd', 10000 + (s.i % 50) * 1000)
            WHEN 12 THEN '{"from":"awaiting_funding","to":"delivery"}'::jsonb
            WHEN 13 THEN '{"stage":"delivery","owner":"unodc_manager"}'::jsonb
            WHEN 15 THEN '{"from":"delivery","to":"follow_up_evaluation"}'::jsonb
            WHEN 16 THEN jsonb_build_object(
                           'ratifications', jsonb_build_array(jsonb_build_object('instrument', ref.instruments[1 + s.i % 19], 'depositedOn', (s.t0 + interval '99 days')::date)),
                           'laws', jsonb_build_array(jsonb_build_object('title', 'Law ' || s.i, 'status', CASE WHEN s.i % 3 = 0 THEN 'adopted' ELSE 'drafted' END, 'date', (s.t0 + interval '98 days')::date)),
                           'officialsTrained', s.i % 40)
            WHEN 18 THEN '{"from":"follow_up_evaluation","to":"closed"}'::jsonb
            WHEN 19 THEN '{"outcome":"completed"}'::jsonb
            ELSE '{}'::jsonb
          END,
          repeat('0', 64), repeat('0', 64)
     FROM scale_seed s
     CROSS JOIN (SELECT array_agg(code::text ORDER BY code) AS instruments FROM universal_instruments) AS ref
     JOIN (VALUES (1, 'submitted', 0), (2, 'overdue', 3), (3, 'refer_needs', 5), (4, 'stage_changed', 5), (5, 'record_referral_outcome', 40),
                  (6, 'stage_changed', 40), (7, 'closed', 40), (8, 'overdue', 15), (9, 'approve_plan', 25), (10, 'stage_changed', 25),
                  (11, 'record_funding', 30), (12, 'stage_changed', 30), (13, 'overdue', 70), (14, 'complete_delivery', 90), (15, 'stage_changed', 90),
                  (16, 'record_indicators', 100), (17, 'submit_evaluation', 120), (18, 'stage_changed', 120), (19, 'closed', 120)) AS t(seq, type, days)
       ON CASE t.seq
            WHEN 1 THEN true
            WHEN 2 THEN s.k = 0 OR s.i % 5 = 0
            WHEN 3 THEN s.k >= 1
            WHEN 4 THEN s.k >= 1
            WHEN 5 THEN s.k IN (1, 2)
            WHEN 6 THEN s.k IN (1, 2)
            WHEN 7 THEN s.k IN (1, 2)
            WHEN 8 THEN s.k >= 4 AND s.i % 3 = 0
            WHEN 13 THEN s.k >= 6 AND s.i % 4 = 0
            WHEN 9 THEN s.k >= 5
            WHEN 10 THEN s.k >= 5
            WHEN 11 THEN s.k >= 5
            WHEN 12 THEN s.k >= 6
            ELSE s.k >= 7
          END`,
  // Two activities per request in delivery or beyond: a1 (modality by i % 16) for the State alone, a2 a regional workshop
  // with two neighbours; a2 is still scheduled for requests in delivery.
  `INSERT INTO scale_activity (request_id, reference, key, modality, states, status, start_date, delivered_on)
   SELECT s.id, s.reference, a.key,
          CASE a.key WHEN 'a1' THEN ref.modalities[1 + s.i % 16] ELSE 'regional_workshop' END,
          CASE a.key WHEN 'a1' THEN ARRAY[s.member_state::text]
               ELSE ARRAY[s.member_state::text, ref.states[1 + (s.i + 1) % 193], ref.states[1 + (s.i + 2) % 193]] END,
          CASE WHEN a.key = 'a2' AND s.k = 6 THEN 'scheduled' WHEN s.i % 20 = 0 THEN 'cancelled' ELSE 'delivered' END,
          (s.t0 + a.days * interval '1 day')::date, (s.t0 + (a.days + 1) * interval '1 day')::date
     FROM scale_seed s CROSS JOIN (VALUES ('a1', 60), ('a2', 75)) AS a(key, days)
     CROSS JOIN (SELECT (SELECT array_agg(code::text ORDER BY code) FROM delivery_modalities) AS modalities,
                        (SELECT array_agg(iso3::text ORDER BY iso3) FROM member_states) AS states) AS ref
    WHERE s.k >= 6`,
  `INSERT INTO delivery_activities (request_id, key, reference, activity_ref, status, start_date, end_date, place, report, last_event_seq)
   SELECT a.request_id, a.key, a.reference, a.reference || '/' || a.key, a.status, a.start_date, a.start_date + 1, 'Vienna',
          CASE WHEN a.status = 'delivered' THEN jsonb_build_object(
            'deliveredOn', a.delivered_on::text, 'place', 'Vienna', 'outputs', '[]'::jsonb,
            'participantsByState', (SELECT jsonb_object_agg(st, 5 + length(a.reference) % 3) FROM unnest(a.states) AS st),
            'officialsTrainedByProfession', jsonb_build_object('judge', 4, 'prosecutor', 6, 'police', 3)) END,
          CASE WHEN a.status = 'scheduled' THEN 1 ELSE 2 END
     FROM scale_activity a`,
  `INSERT INTO request_events (request_id, stream, seq, type, actor_user_id, actor_role, occurred_at, payload, prev_hash, hash)
   SELECT a.request_id, a.request_id::text || '/activity/' || a.key, 1, 'activity_scheduled', 'system', 'system', a.start_date - 30,
          jsonb_build_object('key', a.key, 'modality', a.modality, 'participatingStates', to_jsonb(a.states), 'startDate', a.start_date, 'endDate', a.start_date + 1),
          repeat('0', 64), repeat('0', 64)
     FROM scale_activity a
   UNION ALL
   SELECT a.request_id, a.request_id::text || '/activity/' || a.key, 2, 'activity_' || a.status, 'scale', 'unodc_manager', a.delivered_on::timestamptz,
          '{}'::jsonb, repeat('0', 64), repeat('0', 64)
     FROM scale_activity a WHERE a.status <> 'scheduled'`,
];

describe('reports at 100,000 requests: index-friendly plans', () => {
  let name: string;
  let admin: URL;
  let ds: DataSource;
  const timings: Record<string, number> = {};
  const findings: Record<string, unknown> = {};

  const dropDatabase = async () => {
    const c = new Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    const started = Date.now();
    const base = new URL(readTestEnv().databaseUrl);
    name = `ctap_test_scale_${process.pid}`;
    const url = new URL(base);
    url.pathname = `/${name}`;
    admin = new URL(base);
    admin.pathname = '/postgres';
    await dropDatabase();
    await ensureDatabase(url.toString());
    ds = await new DataSource(dataSourceOptions(url.toString())).initialize();
    await ds.runMigrations({ transaction: 'each' });
    await loadMemberStates(ds);
    await loadReferenceData(ds);
    timings.schemaMs = Date.now() - started;

    const fillStarted = Date.now();
    await ds.query(
      `CREATE UNLOGGED TABLE scale_seed (i int PRIMARY KEY, k int, id uuid, reference text, member_state char(3), region text, t0 timestamptz)`,
    );
    await ds.query(
      `CREATE UNLOGGED TABLE scale_activity (request_id uuid, reference text, key text, modality text, states text[], status text, start_date date, delivered_on date)`,
    );
    // A bulk load: the read models (stage stays, referrals) are derived once at the end, as their migrations do.
    await withoutReadModelTriggers(ds, async () => {
      for (const sql of FILL) await ds.query(sql);
    });
    await ds.query('DROP TABLE scale_seed, scale_activity');
    await ds.query('ANALYZE');
    timings.fillMs = Date.now() - fillStarted;
    const [counts] = await ds.query(
      `SELECT (SELECT count(*) FROM assistance_requests)::int AS requests, (SELECT count(*) FROM request_events)::int AS events,
              (SELECT count(*) FROM delivery_activities)::int AS activities,
              (SELECT count(*) FROM delivery_activities WHERE status = 'delivered')::int AS delivered`,
    );
    findings.volumes = counts;
  });

  afterAll(async () => {
    await ds?.destroy();
    // CTAP_KEEP_SCALE_DB=1 keeps the database for looking at plans by hand (drop it afterwards).
    if (name && process.env.CTAP_KEEP_SCALE_DB !== '1') await dropDatabase();
    findings.database = name;
    findings.timings = timings;
    mkdirSync(path.dirname(FINDINGS_FILE), { recursive: true });
    writeFileSync(FINDINGS_FILE, JSON.stringify(findings, null, 2));
  });

  it('holds 100,000 requests with proportional events and activities', () => {
    const v = findings.volumes as { requests: number; events: number; activities: number; delivered: number };
    expect(v.requests).toBe(REQUESTS);
    expect(v.events).toBeGreaterThan(6 * REQUESTS);
    expect(v.activities).toBe(0.4 * REQUESTS * 2);
    expect(v.delivered).toBeGreaterThan(50_000);
  });

  /** As ReportsService runs a report: its own read-only transaction, JIT off. */
  const asReport = <T>(fn: (q: (sql: string, params: unknown[]) => Promise<any>) => Promise<T>): Promise<T> =>
    ds.transaction(async (tx) => {
      await tx.query(REPORT_TRANSACTION_SETTINGS);
      return fn((sql, params) => tx.query(sql, params));
    });

  const scansIn = (plan: PlanNode) =>
    [
      ...new Set(
        walk(plan)
          .map(scanOf)
          .filter((s): s is string => s !== null),
      ),
    ].sort();
  const bigTableSeqScans = (scans: string[]) =>
    scans.filter((s) => s.startsWith('Seq Scan') && BIG_TABLES.some((t) => s.endsWith(` on ${t}`)));

  it.each(REPORT_NAMES.map((n) => [n]))(
    '%s: over one month, no Seq Scan on request_events, assistance_requests or delivery_activities',
    async (report) => {
      const def = REPORTS[report as ReportName];
      const [{ 'QUERY PLAN': plan }] = await asReport((q) =>
        q(`EXPLAIN (ANALYZE, FORMAT JSON) ${def.sql}`, def.params(MONTH)),
      );
      const scans = scansIn(plan[0].Plan as PlanNode);
      findings[report] = { month: { explainAnalyzeMs: Math.round(plan[0]['Execution Time']), scans } };
      expect(bigTableSeqScans(scans)).toEqual([]);
      expect(plan[0]['Execution Time']).toBeLessThan(1_000);
    },
  );

  it.each(REPORT_NAMES.map((n) => [n]))(
    '%s: under 5 s over a whole year, under 10 s over the whole history',
    async (report) => {
      const def = REPORTS[report as ReportName];
      for (const [label, period, bound] of [
        ['year', YEAR, BOUND_MS],
        ['unbounded', periodOf(), HISTORY_BOUND_MS],
      ] as const) {
        const [{ 'QUERY PLAN': plan }] = await asReport((q) =>
          q(`EXPLAIN (FORMAT JSON) ${def.sql}`, def.params(period)),
        );
        const started = Date.now();
        await asReport((q) => q(def.sql, def.params(period)));
        const ms = Date.now() - started;
        (findings[report] as Record<string, unknown>)[label] = { ms, scans: scansIn(plan[0].Plan as PlanNode) };
        expect(ms).toBeLessThan(bound);
      }
    },
  );

  it.each(REPORT_NAMES.map((n) => [n]))(
    "%s for one State (a focal point's figures): under 5 s over the whole history",
    async (report) => {
      const def = REPORTS[report as ReportName];
      const [{ state }] = await ds.query(
        'SELECT member_state AS state FROM assistance_requests GROUP BY 1 ORDER BY count(*) DESC LIMIT 1',
      );
      const started = Date.now();
      await asReport((q) => q(def.sql, def.params(periodOf(), state)));
      const ms = Date.now() - started;
      findings[report] = { ...(findings[report] as Record<string, unknown> | undefined), oneState: { ms } };
      expect(ms).toBeLessThan(BOUND_MS);
    },
  );

  it('gives figures that agree with direct counts (one year)', async () => {
    const service = new ReportsService(new ReportRepository(ds));
    const [direct] = await ds.query(
      `SELECT count(*)::int AS delivered FROM delivery_activities WHERE status = 'delivered' AND report ->> 'deliveredOn' BETWEEN $1 AND $2`,
      [YEAR.fromDate, YEAR.toDate],
    );
    const modality = await service.run('activities-by-modality', { from: YEAR.fromDate, to: YEAR.toDate });
    const total = modality.rows.find((r) => r.scope === 'total')!;
    expect(total.activities).toBe(direct.delivered);
    expect(total.drilldown).toMatchObject({ total: direct.delivered, truncated: true });
    expect(total.drilldown.items).toHaveLength(100);
    const participants = await service.run('participants', { from: YEAR.fromDate, to: YEAR.toDate });
    const perState = participants.rows.filter((r) => r.scope === 'state');
    const totals = participants.rows.find((r) => r.scope === 'total')!;
    expect(totals.activities).toBe(direct.delivered);
    // Regional workshops serve three States: the per-State activity counts add up to more than the total.
    expect(perState.reduce((a, r) => a + (r.activities as number), 0)).toBeGreaterThan(direct.delivered);
    expect(perState.reduce((a, r) => a + (r.participants as number), 0)).toBe(totals.participants);
  });
});
