import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EventStore, dataSourceOptions } from '@app/persistence';
import { REPORTS, REPORT_TRANSACTION_SETTINGS, periodOf } from '../apps/api/src/reports/report-queries';
import { generateRequests } from '../bench/generate-requests';
import { REPORTS_FROM_LOG } from './support/reports-from-log';
import { readTestEnv } from './support/test-env';

/**
 * The benchmark's data set generator (bench/generate-requests.ts) at 200 requests: rows shaped
 * like production's (valid hash chains, read model in step with the log), and the stage stays the
 * trigger keeps give the same stage-times report as deriving them from the event log.
 */
jest.setTimeout(120_000);

/** stage-times as it was computed before request_stage_stays: from the log itself. */
const STAGE_TIMES_FROM_LOG = `
WITH timeline AS (
  SELECT p.request_id, p.type, p.occurred_at, p.payload ->> 'from' AS stage,
         lag(p.occurred_at) OVER (PARTITION BY p.request_id ORDER BY p.seq) AS entered_at
    FROM request_events p WHERE p.type IN ('submitted', 'stage_changed')
),
stays AS (
  SELECT (SELECT r.reference FROM assistance_requests r WHERE r.id = t.request_id) AS reference, t.stage,
         extract(epoch FROM t.occurred_at - t.entered_at) / 86400.0 AS days
    FROM timeline t
   WHERE t.type = 'stage_changed' AND t.occurred_at >= $1 AND t.occurred_at < $2 AND t.entered_at IS NOT NULL
     -- $3: the State a focal point's figures are scoped to (null: every State), as in the report.
     AND ($3::char(3) IS NULL OR (SELECT r.member_state FROM assistance_requests r WHERE r.id = t.request_id) = $3)
)`;

describe('bench data set generator', () => {
  let url: string;
  let admin: string;
  let ds: DataSource;

  beforeAll(async () => {
    const base = new URL(readTestEnv().databaseUrl);
    base.pathname = `/ctap_test_bench_${process.pid}`;
    url = base.toString();
    const a = new URL(url);
    a.pathname = '/postgres';
    admin = a.toString();
    const counts = await generateRequests(url, { requests: 200, seed: 7 });
    expect(counts.requests).toBe(200);
    ds = await new DataSource(dataSourceOptions(url)).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    const c = new Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "ctap_test_bench_${process.pid}" WITH (FORCE)`);
    await c.end();
  });

  it('writes valid hash chains and a read model in step with each request stream', async () => {
    const requests: { id: string; last_event_seq: number; events: number; stage: string }[] = await ds.query(
      `SELECT r.id, r.last_event_seq, r.stage, (SELECT count(*)::int FROM request_events e WHERE e.stream = r.id::text) AS events
         FROM assistance_requests r`,
    );
    expect(requests).toHaveLength(200);
    expect(new Set(requests.map((r) => r.stage)).size).toBeGreaterThan(4);
    const store = new EventStore(ds);
    for (const r of requests) {
      expect(r.last_event_seq).toBe(r.events);
      const verdicts = await store.verify(r.id);
      expect(Object.values(verdicts).every((v) => v.ok)).toBe(true);
    }
    const [{ streams }] = await ds.query(`SELECT count(DISTINCT stream)::int AS streams FROM request_events`);
    expect(streams).toBeGreaterThan(200); // activity streams too
  });

  it.each([
    [null, null, null],
    ['2022-01-01', '2023-06-30', null],
    // The State with the most generated requests (the generator spreads them over many).
    [null, null, 'most requested'],
  ])(
    'stage-times from request_stage_stays equals the derivation from the log (%s to %s, State %s)',
    async (from, to, state) => {
      const def = REPORTS['stage-times'];
      // The report's former aggregate over the stays (the report itself now also reads month summaries).
      const former = REPORTS_FROM_LOG['stage-times'].sql;
      const final = former.slice(former.indexOf('SELECT s.stage, count(*)::int AS stays,'));
      const period = periodOf(from, to);
      const scope: string | null =
        state === null
          ? null
          : (
              await ds.query(
                'SELECT trim(member_state) AS s FROM assistance_requests GROUP BY member_state ORDER BY count(*) DESC LIMIT 1',
              )
            )[0].s;
      const run = (sql: string) =>
        ds.transaction(async (tx) => {
          await tx.query(REPORT_TRANSACTION_SETTINGS);
          return tx.query(sql, def.params(period, scope));
        });
      const fromLog = await run(`${STAGE_TIMES_FROM_LOG}\n${final}`);
      expect(fromLog.length).toBeGreaterThan(3);
      expect(await run(def.sql)).toEqual(fromLog);
    },
  );
});
