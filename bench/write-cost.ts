/**
 * The read models' cost on the write path (docs/PERFORMANCE.md, "Report read models"): 2,000
 * single-row statements in one transaction (rolled back), timed with every read-model trigger, with
 * every one but the month summaries' staleness markers (migration ReportSummaries: the write path
 * before them), and with none; configurations interleaved, repeated, medians in ms. Then two
 * deliveries in one month from two connections: the second is timed while the first's transaction is
 * still open (a lock shared by the two would make it wait).
 *
 *   node -r ./scripts/register.js bench/write-cost.ts --database postgres://postgres@127.0.0.1:5432/<copy of a data set> [--statements 2000] [--repeats 3]
 *
 * Run it on a copy (CREATE DATABASE ... TEMPLATE ...): every transaction is rolled back, but the
 * tables' dead rows stay until vacuum.
 */
import { performance } from 'perf_hooks';
import { Client } from 'pg';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const DATABASE = arg('database');
const STATEMENTS = Number(arg('statements') ?? 2000);
const REPEATS = Number(arg('repeats') ?? 3);

/** The month summaries' marker triggers (migration ReportSummaries). */
const MARKERS: [string, string][] = [
  ['delivered_activities', 'delivered_activities_stale_insert'],
  ['delivered_activities', 'delivered_activities_stale_delete'],
  ['delivered_activities', 'delivered_activities_stale_update'],
  ['request_stage_stays', 'request_stage_stays_stale_insert'],
  ['request_stage_stays', 'request_stage_stays_stale_delete'],
  ['request_stage_stays', 'request_stage_stays_stale_update'],
];
/** Every other read model's triggers (report-read-models.ts). */
const READ_MODELS: [string, string][] = [
  ['request_events', 'request_events_stage_stays'],
  ['request_events', 'request_events_referrals'],
  ['assistance_requests', 'assistance_requests_referrals_insert'],
  ['assistance_requests', 'assistance_requests_referrals_update'],
  ['delivery_activities', 'delivery_activities_referrals_insert'],
  ['delivery_activities', 'delivery_activities_referrals_update'],
  ['delivery_activities', 'delivery_activities_delivered_insert'],
  ['delivery_activities', 'delivery_activities_delivered_update'],
  ['assistance_requests', 'assistance_requests_delivered_insert'],
  ['assistance_requests', 'assistance_requests_delivered_update'],
  ['request_events', 'request_events_delivered'],
  ['request_events', 'request_events_facts'],
  ['assistance_requests', 'assistance_requests_facts_insert'],
  ['assistance_requests', 'assistance_requests_facts_update'],
];

type Config = 'all triggers' | 'without the markers' | 'no read-model trigger';
const CONFIGS: Config[] = ['all triggers', 'without the markers', 'no read-model trigger'];

interface Workload {
  name: string;
  /** One statement per index i (0 <= i < STATEMENTS). */
  statement(i: number): [string, unknown[]];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  if (!DATABASE) throw new Error('--database URL (a copy of a bench data set) is required');
  const db = new Client({ connectionString: DATABASE });
  await db.connect();
  const requests: string[] = (
    await db.query(`SELECT id FROM assistance_requests ORDER BY id LIMIT $1`, [STATEMENTS])
  ).rows.map((r) => r.id);
  const delivered: { request_id: string; key: string }[] = (
    await db.query(
      `SELECT request_id, key FROM delivery_activities WHERE status = 'delivered' AND report IS NOT NULL ORDER BY request_id, key LIMIT $1`,
      [STATEMENTS],
    )
  ).rows;
  const workloads: Workload[] = [
    {
      name: 'INSERT of an event no read model takes',
      statement: (i) => [
        `INSERT INTO request_events (request_id, stream, seq, type, actor_user_id, actor_role, occurred_at, payload, prev_hash, hash)
         VALUES ($1, $2, 1, 'deadline_reminder', 'bench', 'system', now(), '{}', repeat('0', 64), repeat('0', 64))`,
        [requests[i % requests.length], `write-cost/${i}`],
      ],
    },
    {
      name: 'UPDATE of a request row (stage, State, reference unchanged)',
      statement: (i) => [
        `UPDATE assistance_requests SET updated_at = now() WHERE id = $1`,
        [requests[i % requests.length]],
      ],
    },
    {
      name: "UPDATE of a delivered activity's report (a delivery)",
      statement: (i) => {
        const a = delivered[i % delivered.length];
        return [
          `UPDATE delivery_activities SET report = report || jsonb_build_object('outputs', jsonb_build_array($3::text)), last_event_seq = last_event_seq + 1
            WHERE request_id = $1 AND key = $2`,
          [a.request_id, a.key, `report ${i}`],
        ];
      },
    },
  ];
  const setTriggers = async (config: Config) => {
    for (const [table, trigger] of MARKERS)
      await db.query(`ALTER TABLE ${table} ${config === 'all triggers' ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
    for (const [table, trigger] of READ_MODELS)
      await db.query(
        `ALTER TABLE ${table} ${config === 'no read-model trigger' ? 'DISABLE' : 'ENABLE'} TRIGGER ${trigger}`,
      );
  };
  const times = new Map<string, number[]>();
  try {
    for (let round = 0; round < REPEATS; round++)
      for (const w of workloads)
        for (const config of CONFIGS) {
          await setTriggers(config);
          await db.query('BEGIN');
          const t0 = performance.now();
          for (let i = 0; i < STATEMENTS; i++) await db.query(...w.statement(i));
          const ms = performance.now() - t0;
          await db.query('ROLLBACK');
          const key = `${w.name}|${config}`;
          times.set(key, [...(times.get(key) ?? []), ms]);
        }
  } finally {
    await setTriggers('all triggers');
  }
  console.log(
    `| statement (${STATEMENTS} in one transaction, ms, median of ${REPEATS}) | ${CONFIGS.join(' | ')} | markers' cost per statement |`,
  );
  console.log(`| --- | ${CONFIGS.map(() => '---').join(' | ')} | --- |`);
  for (const w of workloads) {
    const m = CONFIGS.map((c) => median(times.get(`${w.name}|${c}`)!));
    console.log(
      `| ${w.name} | ${m.map((x) => x.toFixed(0)).join(' | ')} | ${((m[0] - m[1]) / STATEMENTS).toFixed(3)} ms |`,
    );
  }

  // Two deliveries in one month, two connections: the second while the first is uncommitted.
  const other = new Client({ connectionString: DATABASE });
  await other.connect();
  const pair: { request_id: string; key: string }[] = (
    await db.query(
      `SELECT request_id, key FROM delivery_activities WHERE status = 'delivered' AND report ->> 'deliveredOn' LIKE '2024-03-%'
        ORDER BY request_id, key LIMIT 2`,
    )
  ).rows;
  const deliver = (c: Client, a: { request_id: string; key: string }) =>
    c.query(
      `UPDATE delivery_activities SET report = report || '{"outputs": ["concurrent"]}'::jsonb, last_event_seq = last_event_seq + 1 WHERE request_id = $1 AND key = $2`,
      [a.request_id, a.key],
    );
  try {
    await db.query('BEGIN');
    await deliver(db, pair[0]);
    await other.query('BEGIN');
    await other.query(`SET LOCAL statement_timeout = '5s'`);
    const t0 = performance.now();
    await deliver(other, pair[1]);
    const ms = performance.now() - t0;
    await other.query('ROLLBACK');
    await db.query('ROLLBACK');
    console.log(`second delivery in the same month while the first is uncommitted: ${ms.toFixed(1)} ms (not blocked)`);
  } finally {
    await other.end();
    await db.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
