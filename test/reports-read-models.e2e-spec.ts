import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase } from '@app/persistence';
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
 * read model rows as that set-based derivation.
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
    } finally {
      await replay.destroy();
    }
  });
});
