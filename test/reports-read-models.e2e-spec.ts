import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ReportRepository, dataSourceOptions, ensureDatabase } from '@app/persistence';
import {
  REPORTS,
  REPORT_NAMES,
  REPORT_TRANSACTION_SETTINGS,
  ReportName,
  periodOf,
} from '../apps/api/src/reports/report-queries';
import { generateRequests } from '../bench/generate-requests';
import { loadMemberStates, loadReferenceData } from '../seeds/src/seed-loaders';
import { REPORTS_FROM_LOG } from './support/reports-from-log';
import { readTestEnv } from './support/test-env';

/**
 * The reports that read models kept on write (docs/PERFORMANCE.md, P5) give exactly what their
 * former statements computed from the event log, for every period and State scope tried, on a
 * data set made by the bench generator (its bulk load derives the read models set-based); and the
 * triggers, fed the same rows one statement at a time in the event store's order, write the same
 * read model rows as that set-based derivation. The reports that read month summaries
 * (migration ReportSummaries) do so whatever the summaries' state: just refreshed, with months
 * marked stale and not refreshed, with a writer committing under a running refresh, and over
 * periods whose first and last months are cut.
 */
jest.setTimeout(300_000);

const REQUESTS = 1500;
/** Requests replayed through the triggers, one statement at a time. */
const REPLAYED = 250;

const PERIODS: [string | null, string | null][] = [
  [null, null],
  ['2023-01-01', '2023-12-31'],
  ['2022-01-01', '2023-06-30'],
  ['2024-03-01', '2024-03-31'],
  ['2025-06-01', null],
  [null, '2021-12-31'],
  ['2026-10-15', '2026-10-15'],
];
/** Periods whose first and last months are cut (read from the detail rows), around whole months. */
const CUT_PERIODS: [string | null, string | null][] = [
  ['2022-02-10', '2023-05-20'],
  ['2024-07-15', '2025-02-14'],
  ['2021-03-31', '2021-04-01'],
  ['2023-08-02', null],
];
/** The reports that read the month summaries when unscoped. */
const SUMMARIZED = REPORT_NAMES.filter((name) => REPORTS[name].summarized);
/** The month summaries and their markers (migration ReportSummaries), each as sorted row texts. */
const SUMMARY_TABLES = [
  'delivered_month_groups',
  'delivered_month_states',
  'stage_stay_months',
  'stage_stay_prev',
  'stage_stay_bins',
  'report_summary_stale',
];

/** Every summary table's rows (as JSON text, so numerics keep their scale), sorted. */
async function summaryRows(db: { query(sql: string): Promise<{ r: string }[]> }): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of SUMMARY_TABLES)
    out[table] = (await db.query(`SELECT row_to_json(t)::text AS r FROM ${table} t ORDER BY 1`)).map((x) => x.r);
  return out;
}

/** What report_summaries_rebuild() writes from the same rows (computed in a transaction, rolled back). */
async function rebuiltSummaryRows(db: DataSource): Promise<Record<string, string[]>> {
  const qr = db.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction();
    await qr.query('SELECT report_summaries_rebuild()');
    return await summaryRows(qr);
  } finally {
    await qr.rollbackTransaction();
    await qr.release();
  }
}

describe('report read models', () => {
  const dbs: string[] = [];
  let admin: string;
  let ds: DataSource;
  let scopes: (string | null)[];

  const dbUrl = (name: string) => {
    const u = new URL(readTestEnv().databaseUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };

  beforeAll(async () => {
    admin = dbUrl('postgres');
    const name = `ctap_test_readmodels_${process.pid}`;
    dbs.push(name);
    await generateRequests(dbUrl(name), { requests: REQUESTS, seed: 11 });
    ds = await new DataSource(dataSourceOptions(dbUrl(name))).initialize();
    const states: { s: string }[] = await ds.query(
      'SELECT trim(member_state) AS s FROM assistance_requests GROUP BY member_state ORDER BY count(*) DESC, member_state',
    );
    // Every State, the one with most requests, one with few, and one with none.
    scopes = [null, states[0].s, states[states.length - 1].s, 'ZZZ'];
  });

  afterAll(async () => {
    await ds?.destroy();
    const c = new Client({ connectionString: admin });
    await c.connect();
    for (const name of dbs) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });

  const run = (sql: string, params: unknown[]) =>
    ds.transaction(async (tx) => {
      await tx.query(REPORT_TRANSACTION_SETTINGS);
      return tx.query(sql, params) as Promise<Record<string, unknown>[]>;
    });

  /** Runs each report now and as formerly computed, over the periods and State scopes; returns how many had rows. */
  const expectAsBefore = async (names: readonly ReportName[], periods: [string | null, string | null][]) => {
    let nonEmpty = 0;
    for (const report of names)
      for (const [from, to] of periods)
        for (const scope of scopes) {
          const p = periodOf(from, to);
          const before = REPORTS_FROM_LOG[report];
          const expected = await run(before.sql, before.params(p, scope));
          const actual = await run(REPORTS[report].sql, REPORTS[report].params(p, scope));
          expect({ report, from, to, scope, rows: actual }).toEqual({ report, from, to, scope, rows: expected });
          if (expected.length) nonEmpty++;
        }
    return nonEmpty;
  };
  const staleMonths = async () =>
    (await ds.query(`SELECT count(*)::int AS n FROM report_summary_stale`))[0].n as number;

  it.each(REPORT_NAMES.map((name) => [name]))('%s equals its former derivation from the log', async (name) => {
    const report = name as ReportName;
    const now = REPORTS[report];
    const before = REPORTS_FROM_LOG[report];
    let nonEmpty = 0;
    for (const [from, to] of PERIODS)
      for (const scope of scopes) {
        const p = periodOf(from, to);
        const expected = await run(before.sql, before.params(p, scope));
        const actual = await run(now.sql, now.params(p, scope));
        expect({ from, to, scope, rows: actual }).toEqual({ from, to, scope, rows: expected });
        if (expected.length) nonEmpty++;
      }
    // The comparisons are not vacuous: most combinations have rows.
    expect(nonEmpty).toBeGreaterThan(PERIODS.length);
  });

  it('contributions still counts a pledge recorded twice once (which the domain refuses)', async () => {
    // Two more record_funding events repeating a pledge of one request, one with another donor.
    const [pledge] = await ds.query(
      `SELECT e.request_id, e.stream, e.payload, e.occurred_at, (SELECT max(x.seq) FROM request_events x WHERE x.stream = e.stream) AS last
         FROM request_events e WHERE e.type = 'record_funding' ORDER BY e.occurred_at LIMIT 1`,
    );
    for (const [i, donor] of [pledge.payload.donor, 'Another donor'].entries())
      await ds.query(
        `INSERT INTO request_events (request_id, stream, seq, type, actor_user_id, actor_role, occurred_at, payload, prev_hash, hash)
         VALUES ($1, $2, $3, 'record_funding', 'test', 'unodc_manager', $4, $5, repeat('0', 64), repeat('0', 64))`,
        [pledge.request_id, pledge.stream, pledge.last + 1 + i, pledge.occurred_at, { ...pledge.payload, donor }],
      );
    const [{ dups }] = await ds.query(`SELECT count(*)::int AS dups FROM request_event_facts WHERE dup`);
    expect(dups).toBe(3);
    const year = new Date(pledge.occurred_at).toISOString().slice(0, 4);
    const [{ s: state }] = await ds.query(`SELECT trim(member_state) AS s FROM assistance_requests WHERE id = $1`, [
      pledge.request_id,
    ]);
    for (const [from, to] of [
      [null, null],
      [`${year}-01-01`, `${year}-12-31`],
    ] as const)
      for (const scope of [null, state]) {
        const p = periodOf(from, to);
        const expected = await run(REPORTS_FROM_LOG.contributions.sql, REPORTS_FROM_LOG.contributions.params(p, scope));
        expect(await run(REPORTS.contributions.sql, REPORTS.contributions.params(p, scope))).toEqual(expected);
      }
  });

  it('the triggers, fed one statement at a time, write what the set-based derivation writes', async () => {
    const name = `ctap_test_readmodels_replay_${process.pid}`;
    dbs.push(name);
    await ensureDatabase(dbUrl(name));
    const replay = await new DataSource(dataSourceOptions(dbUrl(name))).initialize();
    try {
      await replay.runMigrations({ transaction: 'each' });
      await loadMemberStates(replay);
      await loadReferenceData(replay);
      // Requests with referrals of every kind first, then others.
      const ids: string[] = (
        await ds.query(
          `SELECT r.id FROM assistance_requests r
            ORDER BY (SELECT count(*) FROM request_referrals x WHERE x.request_id = r.id) DESC, r.reference LIMIT $1`,
          [REPLAYED],
        )
      ).map((r: { id: string }) => r.id);
      for (const id of ids) {
        const [request] = await ds.query(`SELECT row_to_json(r) AS j FROM assistance_requests r WHERE r.id = $1`, [id]);
        const events = await ds.query(
          `SELECT row_to_json(e) AS j FROM request_events e WHERE e.request_id = $1 ORDER BY e.occurred_at, e.stream, e.seq`,
          [id],
        );
        const activities = await ds.query(
          `SELECT row_to_json(d) AS j FROM delivery_activities d WHERE d.request_id = $1 ORDER BY d.key`,
          [id],
        );
        // The event store's order: the submission, then the request's row (still open), every
        // later event, the activities (first scheduled, then as they ended), and the row's stage last.
        await replay.query(`INSERT INTO request_events SELECT * FROM json_populate_record(null::request_events, $1)`, [
          events[0].j,
        ]);
        await replay.query(
          `INSERT INTO assistance_requests SELECT * FROM jsonb_populate_record(null::assistance_requests, $1::jsonb || '{"stage":"cted_review","outcome":null}')`,
          [request.j],
        );
        for (const e of events.slice(1))
          await replay.query(
            `INSERT INTO request_events SELECT * FROM json_populate_record(null::request_events, $1)`,
            [e.j],
          );
        for (const a of activities) {
          await replay.query(
            `INSERT INTO delivery_activities SELECT * FROM jsonb_populate_record(null::delivery_activities, $1::jsonb || '{"status":"scheduled"}')`,
            [a.j],
          );
          await replay.query(`UPDATE delivery_activities SET status = $3 WHERE request_id = $1 AND key = $2`, [
            a.j.request_id,
            a.j.key,
            a.j.status,
          ]);
        }
        await replay.query(`UPDATE assistance_requests SET stage = $2, outcome = $3 WHERE id = $1`, [
          id,
          request.j.stage,
          request.j.outcome,
        ]);
      }
      const same = async (table: string, columns: string) => {
        const viaTriggers = await replay.query(`SELECT ${columns} FROM ${table} ORDER BY item`);
        const setBased = await ds.query(
          `SELECT ${columns} FROM ${table} WHERE request_id = ANY ($1::uuid[]) ORDER BY item`,
          [ids],
        );
        expect(viaTriggers).toEqual(setBased);
        return setBased as Record<string, unknown>[];
      };
      const referrals = await same(
        'request_referrals',
        `request_id, referral_id, reference, member_state, referred_at, provider_kind, provider, planned, delivered, outcome_recorded, item`,
      );
      expect(referrals.length).toBeGreaterThan(REPLAYED / 2);
      expect(new Set(referrals.map((r) => r.provider_kind)).size).toBe(2);
      const delivered = await same(
        'delivered_activities',
        `request_id, key, activity_ref, reference, member_state, region, delivered_on, modality, participant_states, participants, professions, officials, item`,
      );
      expect(delivered.length).toBeGreaterThan(REPLAYED / 4);
      // The markers the triggers appended cover every month they touched: refreshing them writes
      // what a rebuild from scratch writes.
      expect((await replay.query(`SELECT count(*)::int AS n FROM report_summary_stale`))[0].n).toBeGreaterThan(0);
      expect(await new ReportRepository(replay).refreshSummaries()).toBeGreaterThan(0);
      const refreshed = await summaryRows(replay);
      expect(refreshed.report_summary_stale).toEqual([]);
      expect(refreshed.stage_stay_months.length).toBeGreaterThan(10);
      expect(refreshed.delivered_month_groups.length).toBeGreaterThan(10);
      expect(refreshed).toEqual(await rebuiltSummaryRows(replay));
    } finally {
      await replay.destroy();
    }
  });

  it.each(SUMMARIZED.map((name) => [name]))(
    '%s equals its former statement over periods whose first and last months are cut',
    async (name) => {
      expect(await staleMonths()).toBe(0);
      expect(await expectAsBefore([name], CUT_PERIODS)).toBeGreaterThan(CUT_PERIODS.length);
    },
  );

  it('member_states marks the delivered months only when a State is added, removed or changes region', async () => {
    expect(await staleMonths()).toBe(0);
    // The seed loaders' upserts of unchanged rows: nothing to recompute.
    await ds.query(`UPDATE member_states SET region = region WHERE iso3 IN ('KEN', 'UGA')`);
    expect(await staleMonths()).toBe(0);
    await ds.query(`UPDATE member_states SET region = 'Elsewhere' WHERE iso3 = 'KEN'`);
    const marked = await staleMonths();
    expect(marked).toBeGreaterThan(10);
    await expectAsBefore(['states-assisted'], [[null, null], ...CUT_PERIODS]);
    await ds.query(`UPDATE member_states SET region = 'Africa' WHERE iso3 = 'KEN'`);
    expect(await new ReportRepository(ds).refreshSummaries()).toBeGreaterThan(10);
    expect(await staleMonths()).toBe(0);
    await expectAsBefore(['states-assisted'], [[null, null]]);
  });

  it('with months marked stale and not refreshed the reports are unchanged; a refresh clears the markers and writes what a rebuild writes', async () => {
    // Writes through the read models' own triggers, in months the summaries hold.
    const pick = async (month: string) =>
      (await ds.query(
        `SELECT d.request_id, d.key, d.reference, d.report FROM delivery_activities d
            WHERE d.status = 'delivered' AND d.report ->> 'deliveredOn' LIKE $1 || '-%' ORDER BY d.reference, d.key LIMIT 2`,
        [month],
      )) as { request_id: string; key: string; reference: string; report: Record<string, unknown> }[];
    const [moved] = await pick('2023-03');
    const [cancelled] = await pick('2024-05');
    const [first, second] = await pick('2022-11');
    // An activity moved to another month, with other participants ...
    await ds.query(
      `UPDATE delivery_activities SET report = report || $3::jsonb, last_event_seq = last_event_seq + 1 WHERE request_id = $1 AND key = $2`,
      [moved.request_id, moved.key, { deliveredOn: '2023-08-14', participantsByState: { KEN: 7, UGA: 3 } }],
    );
    // ... one no longer delivered ...
    await ds.query(`UPDATE delivery_activities SET status = 'cancelled' WHERE request_id = $1 AND key = $2`, [
      cancelled.request_id,
      cancelled.key,
    ]);
    // ... and a shared activity linked to two requests (one row each, the same report).
    for (const row of [first, second])
      await ds.query(
        `INSERT INTO delivery_activities (request_id, key, reference, activity_ref, status, start_date, end_date, place, report)
         VALUES ($1, 'P5-SHARED', $2, 'shared/p5-test', 'delivered', '2022-11-01', '2022-11-03', 'Nairobi', $3)`,
        [
          row.request_id,
          row.reference,
          {
            deliveredOn: '2022-11-03',
            participantsByState: { KEN: 4, TZA: 5, ZZZ: 1 },
            officialsTrainedByProfession: { judge: 2 },
          },
        ],
      );
    // A stay ending after the others, and one ending before the request's first (out of order by
    // time: the later stays of its stage get a new previous stay).
    const [req] = await ds.query(
      `SELECT s.request_id, r.id, (SELECT max(e.seq) FROM request_events e WHERE e.stream = r.id::text) AS last
         FROM request_stage_stays s JOIN assistance_requests r ON r.id = s.request_id
        WHERE s.stage = 'cted_review' AND s.left_at >= '2022-01-01'
        GROUP BY s.request_id, r.id HAVING count(*) > 1 ORDER BY s.request_id LIMIT 1`,
    );
    expect(req).toBeDefined();
    for (const [i, at] of ['2026-10-20T10:00:00Z', '2021-05-05T12:00:00Z'].entries())
      await ds.query(
        `INSERT INTO request_events (request_id, stream, seq, type, actor_user_id, actor_role, occurred_at, payload, prev_hash, hash)
         VALUES ($1, $2, $3, 'stage_changed', 'test', 'cted_officer', $4, $5, repeat('0', 64), repeat('0', 64))`,
        [req.id, req.id, req.last + 1 + i, at, { from: 'cted_review', to: 'unodc_planning' }],
      );
    expect(await staleMonths()).toBeGreaterThan(4);
    // Not refreshed: the stale months are read from the detail rows.
    expect(await expectAsBefore(SUMMARIZED, [...PERIODS, ...CUT_PERIODS])).toBeGreaterThan(PERIODS.length);
    // Refreshed: no marker left, the months recomputed, and the same figures.
    expect(await new ReportRepository(ds).refreshSummaries()).toBeGreaterThan(4);
    expect(await staleMonths()).toBe(0);
    expect(await summaryRows(ds)).toEqual(await rebuiltSummaryRows(ds));
    await expectAsBefore(SUMMARIZED, [...PERIODS, ...CUT_PERIODS]);
  });

  it('a delivery committed under a running refresh keeps its marker: its month is read from the detail rows until the next refresh', async () => {
    const writer = new Client({ connectionString: dbUrl(dbs[0]) });
    const refresher = new Client({ connectionString: dbUrl(dbs[0]) });
    await writer.connect();
    await refresher.connect();
    try {
      const [row] = await ds.query(
        `SELECT d.request_id, d.key, d.reference, d.report FROM delivery_activities d
          WHERE d.status = 'delivered' AND d.report ->> 'deliveredOn' LIKE '2024-09-%' ORDER BY d.reference LIMIT 1`,
      );
      // A committed change in the month (a marker the refresh will see and delete) ...
      await ds.query(
        `UPDATE delivery_activities SET report = report || '{"participantsByState": {"KEN": 11}}'::jsonb WHERE request_id = $1 AND key = $2`,
        [row.request_id, row.key],
      );
      // ... then a writer delivers another activity in that month and has not committed ...
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO delivery_activities (request_id, key, reference, activity_ref, status, start_date, end_date, place, report)
         VALUES ($1, 'P5-CONCURRENT', $2, $3, 'delivered', '2024-09-01', '2024-09-02', 'Amman', $4)`,
        [
          row.request_id,
          row.reference,
          `${row.reference}/P5-CONCURRENT`,
          { deliveredOn: '2024-09-02', participantsByState: { JOR: 9 } },
        ],
      );
      // ... while a refresh runs and commits (it sees neither the writer's row nor its marker) ...
      await refresher.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const [{ months }] = (await refresher.query('SELECT report_summaries_refresh() AS months')).rows;
      await refresher.query('COMMIT');
      expect(months).toBeGreaterThan(0);
      // ... and the writer commits: its marker survived, so the month is read from the detail rows.
      await writer.query('COMMIT');
      expect(await staleMonths()).toBeGreaterThan(0);
      await expectAsBefore(SUMMARIZED, [
        [null, null],
        ['2024-01-01', '2024-12-31'],
        ['2024-09-01', '2024-09-30'],
      ]);
      // The next refresh takes the month in.
      expect(await new ReportRepository(ds).refreshSummaries()).toBeGreaterThan(0);
      expect(await staleMonths()).toBe(0);
      expect(await summaryRows(ds)).toEqual(await rebuiltSummaryRows(ds));
      await expectAsBefore(SUMMARIZED, [
        [null, null],
        ['2024-09-01', '2024-09-30'],
      ]);
    } finally {
      await writer.end();
      await refresher.end();
    }
  });
});
