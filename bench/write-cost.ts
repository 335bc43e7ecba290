/**
 * The read models' cost on the write path (docs/PERFORMANCE.md, "Report read models"): 2,000
 * single-row statements in one transaction (rolled back; a plpgsql loop, timed on the server, so
 * no round trip is counted) on a copy of a data set migrated to the
 * month summaries (migration ReportSummaries), timed three ways, interleaved and repeated (medians,
 * ms): as migrated ("with the markers"); with the write path as it was before that migration,
 * restored inside the same transaction (its marker triggers disabled, request_stage_stays_record as
 * its down() puts it back), so both run on the same tables in the same state; and with no read-model
 * trigger at all (the floor). Then two deliveries in
 * one month from two connections: the second is timed while the first's transaction is still open
 * (a lock shared by the two would make it wait).
 *
 *   node -r ./scripts/register.js bench/write-cost.ts --database postgres://…/<copy of a data set> [--statements 2000] [--repeats 7]
 *
 * Run it on a copy (CREATE DATABASE … TEMPLATE …): every transaction is rolled back, but the tables'
 * dead rows stay until vacuum.
 */
import { performance } from 'perf_hooks';
import { Client } from 'pg';
import { ReportSummaries1796010000000 } from '../libs/persistence/src/migrations/1796010000000-ReportSummaries';
import { READ_MODEL_TRIGGERS, SUMMARY_MARKER_TRIGGERS } from '../libs/persistence/src/report-read-models';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const DATABASE = arg('database');
const STATEMENTS = Number(arg('statements') ?? 2000);
const REPEATS = Number(arg('repeats') ?? 7);

const SIDES = ['without the markers', 'with the markers', 'no read-model trigger'] as const;

interface Workload {
  name: string;
  /** A plpgsql loop running STATEMENTS single-row statements (server-side: no round trips timed). */
  loop: string;
}

const WORKLOADS: Workload[] = [
  {
    name: 'INSERT of an event no read model takes',
    loop: `FOR a IN SELECT id, row_number() OVER () AS i FROM assistance_requests ORDER BY id LIMIT ${STATEMENTS} LOOP
        INSERT INTO request_events (request_id, stream, seq, type, actor_user_id, actor_role, occurred_at, payload, prev_hash, hash)
        VALUES (a.id, 'write-cost/' || a.i, 1, 'deadline_reminder', 'bench', 'system', now(), '{}', repeat('0', 64), repeat('0', 64));
      END LOOP;`,
  },
  {
    name: 'UPDATE of a request row (stage, State, reference unchanged)',
    loop: `FOR a IN SELECT id FROM assistance_requests ORDER BY id LIMIT ${STATEMENTS} LOOP
        UPDATE assistance_requests SET updated_at = now() WHERE id = a.id;
      END LOOP;`,
  },
  {
    name: "UPDATE of a delivered activity's report (a delivery)",
    loop: `FOR a IN SELECT request_id, key FROM delivery_activities WHERE status = 'delivered' AND report IS NOT NULL ORDER BY request_id, key LIMIT ${STATEMENTS} LOOP
        UPDATE delivery_activities SET report = report || '{"outputs": ["write-cost"]}'::jsonb, last_event_seq = last_event_seq + 1
         WHERE request_id = a.request_id AND key = a.key;
      END LOOP;`,
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs a plpgsql loop in the current transaction; its duration on the server, in ms. */
async function timed(db: Client, loop: string): Promise<number> {
  let ms = NaN;
  const onNotice = (n: { message?: string }) => {
    const m = /^write-cost ms (\S+)$/.exec(n.message ?? '');
    if (m) ms = Number(m[1]);
  };
  db.on('notice', onNotice);
  try {
    await db.query(`DO $$ DECLARE a record; t0 timestamptz := clock_timestamp(); BEGIN
      ${loop}
      RAISE NOTICE 'write-cost ms %', extract(epoch FROM clock_timestamp() - t0) * 1000;
    END $$`);
  } finally {
    db.off('notice', onNotice);
  }
  return ms;
}

async function connect(url: string): Promise<Client> {
  const c = new Client({ connectionString: url });
  await c.connect();
  return c;
}

/** request_stage_stays_record as it was before migration ReportSummaries (its down() restores it). */
async function staysRecordBefore(): Promise<string> {
  let sql = '';
  const recorder = {
    query: async (q: string) => {
      if (q.includes('FUNCTION request_stage_stays_record')) sql = q;
    },
  };
  await new ReportSummaries1796010000000().down(recorder as never);
  if (!sql) throw new Error('the migration restores no request_stage_stays_record');
  return sql;
}

async function main(): Promise<void> {
  if (!DATABASE) throw new Error('--database URL (a copy of a bench data set, migrated) is required');
  const db = await connect(DATABASE);
  const recordBefore = await staysRecordBefore();
  const times = new Map<string, number[]>();
  for (let round = 0; round < REPEATS; round++)
    for (const w of WORKLOADS)
      for (const side of round % 2 ? [...SIDES].reverse() : SIDES) {
        await db.query('BEGIN');
        if (side === 'without the markers') {
          await db.query(recordBefore);
          for (const [table, trigger] of SUMMARY_MARKER_TRIGGERS)
            await db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
        }
        if (side === 'no read-model trigger')
          for (const [table, trigger] of [...READ_MODEL_TRIGGERS, ...SUMMARY_MARKER_TRIGGERS])
            await db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
        const ms = await timed(db, w.loop);
        // Rolled back: the statements, the function and the triggers' state alike.
        await db.query('ROLLBACK');
        const key = `${w.name}|${side}`;
        times.set(key, [...(times.get(key) ?? []), ms]);
      }
  console.log(
    `| statement (${STATEMENTS} in one transaction; ms, median of ${REPEATS}) | without the markers | with the markers | difference per statement | no read-model trigger |`,
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const w of WORKLOADS) {
    const [before, after, floor] = SIDES.map((side) => median(times.get(`${w.name}|${side}`)!));
    console.log(
      `| ${w.name} | ${before.toFixed(0)} | ${after.toFixed(0)} | ${((after - before) / STATEMENTS).toFixed(3)} ms | ${floor.toFixed(0)} |`,
    );
  }

  // Two deliveries in one month, two connections: the second while the first is uncommitted.
  const other = await connect(DATABASE);
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
    console.log(
      `a second delivery in the same month while the first is uncommitted: ${ms.toFixed(1)} ms (not blocked)`,
    );
  } finally {
    await Promise.all([db.end(), other.end()]);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
