/**
 * `make bench` / `make bench-quick`: P1-P6 of issue 11, CTAP against bare baselines in one run,
 * interleaved and repeated; prints a table (median and min-max over repeats, ratios, goals) and
 * writes .data/bench/results.{json,md}. How each figure is obtained: docs/PERFORMANCE.md.
 *
 *   node -r ./scripts/register.js bench/run.ts [--quick] [--sizes 10000,100000] [--only P4,P5] [--repeats 3]
 */
import { Stage } from '@app/domain';
import { writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Client as PgClient } from 'pg';
import * as hdr from 'hdr-histogram-js';
import { DataSource } from 'typeorm';
import { Client, Connection } from '@temporalio/client';
import { dataSourceOptions } from '@app/persistence';
import { REPORTS, REPORT_NAMES, REPORT_TRANSACTION_SETTINGS, periodOf } from '../apps/api/src/reports/report-queries';
import { encodeCursor } from '../apps/api/src/common/cursor';
import { ListFilters, listRequestsSql } from '../apps/api/src/requests/list-requests.sql';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import {
  ACCOUNTS,
  HttpApi,
  Timings,
  bareLifecycle,
  bareStart,
  ctapLifecycle,
  ctapDecision,
  ctapOpen,
  runConcurrent,
} from './drivers';
import { GENERATOR_VERSION, generateRequests } from './generate-requests';
import {
  LOG_DIR,
  cpuSeconds,
  postgresCpuSeconds,
  removeDir,
  rssMiB,
  startBareWorker,
  startCtap,
  startExtraWorker,
  startTemporal,
  stopAll,
  stopProcess,
} from './stack';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const QUICK = argv.includes('--quick');
const SIZES = (arg('sizes') ?? (QUICK ? '10000' : '10000,100000')).split(',').map(Number);
const ONLY = new Set((arg('only') ?? 'P1,P2,P3,P4,P5,P6,W1').split(','));
const REPEATS = Number(arg('repeats') ?? (QUICK ? 2 : 3));
const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
/** The bench's databases are named `<prefix>_<size>`, `<prefix>_run`, `<prefix>_bare`: another prefix runs beside a bench already running. */
const DB_PREFIX = process.env.BENCH_DB_PREFIX ?? 'ctap_bench';
const LIFECYCLES: Record<number, number> = QUICK ? { 1: 3, 8: 8 } : { 1: 6, 8: 24, 32: 64 };
const OPEN_WORKFLOWS = Number(arg('open') ?? (QUICK ? 200 : 1000));
const LIST_SAMPLES = Number(arg('list-samples') ?? (QUICK ? 10 : 40));
const REPORT_SAMPLES = Number(arg('report-samples') ?? 3);

const dbUrl = (name: string) => `${PG}/${name}`;
const sizeLabel = (n: number) => (n >= 1e6 ? `${n / 1e6}m` : `${n / 1e3}k`);

/**
 * Starts CPU counters (seconds by pid, for one process or a set); the returned function gives the
 * seconds each used since: the processes alive at the end, each from its own start (0 for one
 * started meanwhile).
 */
function cpuMeter(counters: Record<string, () => Map<number, number>>): () => Record<string, number> {
  const start = Object.fromEntries(Object.entries(counters).map(([k, read]) => [k, read()]));
  const since = (before: Map<number, number>, now: Map<number, number>): number =>
    [...now].reduce((sum, [pid, s]) => sum + s - (before.get(pid) ?? 0), 0);
  return () => Object.fromEntries(Object.entries(counters).map(([k, read]) => [k, since(start[k], read())]));
}
/** One process's CPU seconds, as a counter of `cpuMeter`. */
const cpuOf = (pid: number) => () => new Map([[pid, cpuSeconds(pid)]]);
const cpuProfiles: { c: number; lifecycles: number; ctap: Record<string, number>; bare: Record<string, number> }[] = [];

// ---------------------------------------------------------------- statistics (HdrHistogram)

function percentile(values: number[], p: number): number {
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  for (const v of values) h.recordValue(Math.max(1, Math.round(v * 1000)));
  const out = h.getValueAtPercentile(p) / 1000;
  h.destroy();
  return out;
}
/** The median of a few repeats (the mean of the middle two for an even count). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Figure {
  id: string;
  metric: string;
  unit: string;
  /** One value per repeat. */
  ctap: number[];
  base: number[];
  baseLabel: string;
  /** ctap/base must be at most (lower is better) or at least (throughput) this. */
  ratioGoal?: { op: '<=' | '>='; value: number };
  /** CTAP's own figure must be at most this. */
  absGoal?: number;
  size?: number;
}
const figures: Figure[] = [];

function fmt(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}
const spread = (xs: number[]) =>
  xs.length ? `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]` : 'n/a';

function verdict(f: Figure): { ratio: number; ok: boolean } {
  const ratio = f.base.length ? median(f.ctap) / median(f.base) : NaN;
  let ok = true;
  if (f.ratioGoal) ok &&= f.ratioGoal.op === '<=' ? ratio <= f.ratioGoal.value : ratio >= f.ratioGoal.value;
  if (f.absGoal !== undefined) ok &&= median(f.ctap) <= f.absGoal;
  return { ratio, ok };
}

function table(rows: Figure[]): string {
  const out = [
    '| id | metric | size | CTAP median [min–max] | baseline median [min–max] | ratio | goal | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const f of rows) {
    const { ratio, ok } = verdict(f);
    const goal = [
      f.ratioGoal ? `ratio ${f.ratioGoal.op} ${f.ratioGoal.value}` : '',
      f.absGoal !== undefined ? `≤ ${f.absGoal} ${f.unit}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    out.push(
      `| ${f.id} | ${f.metric} (${f.unit}) | ${f.size ? sizeLabel(f.size) : ''} | ${spread(f.ctap)} | ${f.base.length ? `${spread(f.base)} (${f.baseLabel})` : 'n/a'} | ${fmt(ratio)} | ${goal} | ${ok ? 'yes' : '**no**'} |`,
    );
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- data sets

/** The data set of `size` requests, generated once and kept (marked by a comment on the database). */
async function ensureDataset(size: number): Promise<string> {
  const name = `${DB_PREFIX}_${sizeLabel(size)}`;
  const admin = new PgClient({ connectionString: dbUrl('postgres') });
  await admin.connect();
  const marker = `ctap-bench requests=${size} generator=${GENERATOR_VERSION}`;
  const { rows } = await admin.query(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [name],
  );
  await admin.end();
  if (rows[0]?.comment !== marker) {
    console.log(`bench: generating ${size} requests into ${name} (once; kept for later runs)`);
    const counts = await generateRequests(dbUrl(name), { requests: size, log: console.log });
    console.log(`bench: ${counts.requests} requests, ${counts.events} events in ${(counts.ms / 1000).toFixed(0)} s`);
    const c = new PgClient({ connectionString: dbUrl('postgres') });
    await c.connect();
    await c.query(`COMMENT ON DATABASE "${name}" IS '${marker}'`);
    await c.end();
  }
  // A kept data set gets the migrations added since it was generated (as production data would).
  const ds = await new DataSource(dataSourceOptions(dbUrl(name))).initialize();
  const ran = await ds.runMigrations({ transaction: 'each' });
  if (ran.length) await ds.query('ANALYZE');
  await ds.destroy();
  return name;
}

/** A scratch copy of a data set for the runs that write (lifecycles, open workflows). */
async function cloneDataset(source: string, target: string): Promise<void> {
  const admin = new PgClient({ connectionString: dbUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${target}" TEMPLATE "${source}"`);
  await admin.end();
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new PgClient({ connectionString: dbUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

// ---------------------------------------------------------------- P4 / P5: reads

interface ListCase {
  name: string;
  who: 'cted' | 'kenya';
  filters: ListFilters;
}

async function listCases(pg: PgClient): Promise<ListCase[]> {
  // A cursor half-way down the whole list: a deep keyset page.
  const { rows } = await pg.query(
    `SELECT to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, id FROM assistance_requests
      ORDER BY submitted_at DESC, id DESC OFFSET (SELECT count(*) / 2 FROM assistance_requests) LIMIT 1`,
  );
  const deep = encodeCursor(rows[0].at, rows[0].id);
  const { rows: refRows } = await pg.query(
    `SELECT reference FROM assistance_requests ORDER BY submitted_at OFFSET (SELECT count(*) / 3 FROM assistance_requests) LIMIT 1`,
  );
  const refFragment = (refRows[0].reference as string).slice(5, 13); // e.g. 2022-003
  return [
    { name: 'first page', who: 'cted', filters: {} },
    { name: 'stage', who: 'cted', filters: { stage: Stage.UnodcPlanning } },
    { name: 'State', who: 'cted', filters: { memberState: 'KEN' } },
    { name: 'focal point (own State)', who: 'kenya', filters: {} },
    {
      name: 'thematic area + overdue',
      who: 'cted',
      filters: { thematicArea: 'countering_terrorist_financing', overdue: true },
    },
    { name: 'region + submitted from', who: 'cted', filters: { region: 'Africa', submittedFrom: '2024-01-01' } },
    { name: 'modality', who: 'cted', filters: { modality: 'mock_trial' } },
    { name: 'deep keyset page', who: 'cted', filters: { cursor: deep } },
    { name: 'q= common word', who: 'cted', filters: { q: 'financing' } },
    { name: 'q= very common word', who: 'cted', filters: { q: 'terrorism' } },
    { name: 'q= rare word', who: 'cted', filters: { q: 'maritime' } },
    { name: 'q= reference fragment', who: 'cted', filters: { q: refFragment } },
    { name: 'q= no match', who: 'cted', filters: { q: 'zanzibar' } },
    { name: 'q= + stage', who: 'cted', filters: { q: 'judges', stage: Stage.Delivery } },
  ];
}

const PRINCIPALS = { cted: { role: 'cted_officer' }, kenya: { role: 'member_state', memberState: 'KEN' } };

function queryString(f: ListFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Failed samples (a 30 s statement timeout, a 5xx): counted, and timed as they took. */
const failures = new Map<string, number>();
async function timeIt(fn: () => Promise<unknown>, label = 'sample'): Promise<number> {
  const t0 = performance.now();
  try {
    await fn();
  } catch (err) {
    failures.set(label, (failures.get(label) ?? 0) + 1);
    console.error(`bench: ${label} failed: ${(err as Error).message.split('\n')[0]}`);
  }
  return performance.now() - t0;
}

async function measureReads(
  size: number,
  database: string,
  temporalAddress: string,
  bundlePath: string,
): Promise<void> {
  const ctap = await startCtap({
    databaseUrl: dbUrl(database),
    temporalAddress,
    bundlePath,
    worker: false,
    label: `reads-${sizeLabel(size)}`,
  });
  const api = new HttpApi(ctap.baseUrl, 4);
  const pg = new PgClient({ connectionString: dbUrl(database) });
  await pg.connect();
  try {
    const tokens = { cted: await api.token(ACCOUNTS.cted), kenya: await api.token(ACCOUNTS.kenya) };
    const get = async (p: string, token: string) => {
      const res = await api.call('GET', p, token);
      if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${JSON.stringify(res.json)}`);
      return res.json;
    };
    if (ONLY.has('P4')) {
      const cases = await listCases(pg);
      const perCase = new Map(cases.map((c) => [c.name, { ctap: [] as number[], base: [] as number[] }]));
      for (const c of cases) {
        // Warm both paths once (plans, caches) before timing.
        await timeIt(() => get(`/api/v1/requests${queryString(c.filters)}`, tokens[c.who]), 'warm-up');
      }
      for (let round = 0; round < REPEATS; round++) {
        for (const c of cases) {
          const { sql, args } = listRequestsSql(PRINCIPALS[c.who], c.filters);
          const ctapMs: number[] = [];
          const rawMs: number[] = [];
          // Interleaved sample by sample: CTAP over HTTP, then the same SQL over raw pg.
          for (let i = 0; i < LIST_SAMPLES; i++) {
            ctapMs.push(
              await timeIt(() => get(`/api/v1/requests${queryString(c.filters)}`, tokens[c.who]), `P4 ${c.name} CTAP`),
            );
            rawMs.push(await timeIt(() => pg.query(sql, args), `P4 ${c.name} raw`));
          }
          perCase.get(c.name)!.ctap.push(percentile(ctapMs, 95));
          perCase.get(c.name)!.base.push(percentile(rawMs, 95));
        }
      }
      for (const c of cases) {
        const v = perCase.get(c.name)!;
        figures.push({
          id: 'P4',
          metric: `list p95, ${c.name}`,
          unit: 'ms',
          size,
          ctap: v.ctap,
          base: v.base,
          baseLabel: 'same SQL, raw pg',
          ratioGoal: { op: '<=', value: 2 },
          absGoal: 50,
        });
      }
    }
    if (ONLY.has('P5')) {
      const period = periodOf();
      const perReport = new Map(REPORT_NAMES.map((r) => [r, { ctap: [] as number[], base: [] as number[] }]));
      const rawReport = async (name: (typeof REPORT_NAMES)[number]) => {
        const def = REPORTS[name];
        await pg.query('BEGIN');
        try {
          await pg.query(REPORT_TRANSACTION_SETTINGS);
          await pg.query(def.sql, def.params(period));
        } finally {
          await pg.query('ROLLBACK');
        }
      };
      for (const name of REPORT_NAMES) await timeIt(() => get(`/api/v1/reports/${name}`, tokens.cted), 'warm-up');
      for (let round = 0; round < REPEATS; round++) {
        for (const name of REPORT_NAMES) {
          const ctapMs: number[] = [];
          const rawMs: number[] = [];
          for (let i = 0; i < REPORT_SAMPLES; i++) {
            ctapMs.push(await timeIt(() => get(`/api/v1/reports/${name}`, tokens.cted), `P5 ${name} CTAP`));
            rawMs.push(await timeIt(() => rawReport(name), `P5 ${name} raw`));
          }
          perReport.get(name)!.ctap.push(percentile(ctapMs, 95));
          perReport.get(name)!.base.push(percentile(rawMs, 95));
        }
      }
      for (const name of REPORT_NAMES) {
        const v = perReport.get(name)!;
        figures.push({
          id: 'P5',
          metric: `report p95, ${name}, whole history`,
          unit: 'ms',
          size,
          ctap: v.ctap,
          base: v.base,
          baseLabel: 'same SQL, raw pg',
          absGoal: 300,
        });
      }
    }
  } finally {
    await pg.end();
    await api.close();
    await stopProcess(ctap.api);
  }
}

// ---------------------------------------------------------------- P1 / P2 / P3 / P6: the write path

async function measureLifecycles(
  size: number,
  dataset: string,
  temporalAddress: string,
  bundlePath: string,
  temporalPid: number,
): Promise<void> {
  const runDb = `${DB_PREFIX}_run`;
  await cloneDataset(dataset, runDb);
  const bareDb = `${DB_PREFIX}_bare`;
  await dropDatabase(bareDb);
  const admin = new PgClient({ connectionString: dbUrl('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${bareDb}"`);
  await admin.end();

  const ctap = await startCtap({ databaseUrl: dbUrl(runDb), temporalAddress, bundlePath, worker: true, label: 'run' });
  const bareQueue = 'bench-bare';
  const bareWorker = await startBareWorker({ databaseUrl: dbUrl(bareDb), temporalAddress, taskQueue: bareQueue });
  const api = new HttpApi(ctap.baseUrl, 80);
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  const retries = { count: 0 };
  try {
    // Warm-up: one of each, untimed.
    await ctapLifecycle(api, retries);
    await bareLifecycle(client, bareQueue);
    const tput = new Map<number, { ctap: number[]; base: number[] }>();
    const decisions = {
      ctap: { p50: [] as number[], p95: [] as number[] },
      base: { p50: [] as number[], p95: [] as number[] },
    };
    const submits = { ctap: [] as number[], base: [] as number[] };
    for (let round = 0; round < REPEATS; round++) {
      for (const [c, n] of Object.entries(LIFECYCLES).map(([c, n]) => [Number(c), n])) {
        // Interleaved: a CTAP batch, then a bare batch of the same size and concurrency.
        // CPU per component over each batch: where a lifecycle's cost goes (the profile in docs/PERFORMANCE.md).
        const ctapCpu = cpuMeter({
          temporal: cpuOf(temporalPid),
          worker: cpuOf(ctap.worker!.pid!),
          api: cpuOf(ctap.api.pid!),
          postgres: () => postgresCpuSeconds(runDb),
        });
        const a = await runConcurrent(n, c, () => ctapLifecycle(api, retries));
        const ctapSpent = ctapCpu();
        const bareCpu = cpuMeter({
          temporal: cpuOf(temporalPid),
          worker: cpuOf(bareWorker.pid!),
          postgres: () => postgresCpuSeconds(bareDb),
        });
        const b = await runConcurrent(n, c, () => bareLifecycle(client, bareQueue));
        const bareSpent = bareCpu();
        const perLifecycle = (spent: Record<string, number>) =>
          Object.entries(spent)
            .map(([k, v]) => `${k} ${fmt((v * 1000) / n)}`)
            .join(', ');
        console.log(
          `bench: CPU ms per lifecycle, c=${c}: CTAP ${perLifecycle(ctapSpent)} | bare ${perLifecycle(bareSpent)}`,
        );
        cpuProfiles.push({ c, ctap: ctapSpent, bare: bareSpent, lifecycles: n });
        const entry = tput.get(c) ?? { ctap: [], base: [] };
        entry.ctap.push(n / a.seconds);
        entry.base.push(n / b.seconds);
        tput.set(c, entry);
        if (c === 1) {
          const all = (r: Timings[]) => r.flatMap((t) => t.decisionMs);
          decisions.ctap.p50.push(percentile(all(a.results), 50));
          decisions.ctap.p95.push(percentile(all(a.results), 95));
          decisions.base.p50.push(percentile(all(b.results), 50));
          decisions.base.p95.push(percentile(all(b.results), 95));
          submits.ctap.push(
            percentile(
              a.results.map((t) => t.submitMs),
              50,
            ),
          );
          submits.base.push(
            percentile(
              b.results.map((t) => t.submitMs),
              50,
            ),
          );
        }
        console.log(`bench: P1 round ${round + 1} c=${c}: CTAP ${fmt(n / a.seconds)}/s, bare ${fmt(n / b.seconds)}/s`);
        if (c === 1) {
          // Where P2's tail comes from: the median of each step of the walk-through, CTAP then bare.
          const perStep = (r: Timings[]) =>
            r[0].decisionMs
              .map((_, i) =>
                fmt(
                  percentile(
                    r.map((t) => t.decisionMs[i]),
                    50,
                  ),
                ),
              )
              .join(' ');
          console.log(
            `bench: P2 round ${round + 1} step medians (ms): CTAP ${perStep(a.results)} | bare ${perStep(b.results)}`,
          );
        }
      }
    }
    if (ONLY.has('P1'))
      for (const [c, v] of tput)
        figures.push({
          id: 'P1',
          metric: `lifecycles/s, concurrency ${c}`,
          unit: '/s',
          size,
          ...v,
          baseLabel: 'bare',
          ratioGoal: { op: '>=', value: 0.8 },
        });
    if (ONLY.has('P2')) {
      figures.push({
        id: 'P2',
        metric: 'decision latency p50, concurrency 1',
        unit: 'ms',
        size,
        ...{ ctap: decisions.ctap.p50, base: decisions.base.p50 },
        baseLabel: 'bare Update',
        ratioGoal: { op: '<=', value: 1.25 },
      });
      figures.push({
        id: 'P2',
        metric: 'decision latency p95, concurrency 1',
        unit: 'ms',
        size,
        ...{ ctap: decisions.ctap.p95, base: decisions.base.p95 },
        baseLabel: 'bare Update',
        ratioGoal: { op: '<=', value: 1.5 },
      });
    }
    if (ONLY.has('P3'))
      figures.push({
        id: 'P3',
        metric: 'submission latency p50',
        unit: 'ms',
        size,
        ...submits,
        baseLabel: 'bare workflow start',
        ratioGoal: { op: '<=', value: 1.25 },
      });

    if (ONLY.has('P6')) {
      const before = { ctap: rssMiB(ctap.worker!.pid!), base: rssMiB(bareWorker.pid!) };
      await runConcurrent(OPEN_WORKFLOWS, 16, () => ctapOpen(api, retries));
      await runConcurrent(OPEN_WORKFLOWS, 16, () => bareStart(client, bareQueue));
      await new Promise((r) => setTimeout(r, 5000)); // let the last workflow tasks settle
      const after = { ctap: rssMiB(ctap.worker!.pid!), base: rssMiB(bareWorker.pid!) };
      console.log(
        `bench: P6 worker RSS before ${fmt(before.ctap)} / ${fmt(before.base)} MiB, after ${fmt(after.ctap)} / ${fmt(after.base)} MiB`,
      );
      figures.push({
        id: 'P6',
        metric: `worker RSS, ${OPEN_WORKFLOWS} open workflows`,
        unit: 'MiB',
        size,
        ctap: [after.ctap],
        base: [after.base],
        baseLabel: 'bare worker',
        ratioGoal: { op: '<=', value: 1.2 },
      });
    }
    if (retries.count) console.log(`bench: ${retries.count} calls answered 503 and were retried`);
  } finally {
    await api.close();
    await connection.close();
    await stopProcess(ctap.worker);
    await stopProcess(ctap.api);
    await stopProcess(bareWorker);
    await dropDatabase(runDb);
    await dropDatabase(bareDb);
  }
}

// ---------------------------------------------------------------- W1: a worker lost

/**
 * Two workers on one task queue; each request is decided once so its workflow is cached (sticky)
 * on one of them; then one worker is SIGKILLed and every request takes its next decision at once.
 * A workflow cached on the lost worker waits for its sticky queue's schedule-to-start timeout
 * before Temporal hands the task to the other worker, which replays it. Measured with CTAP's
 * setting (TEMPORAL_STICKY_TIMEOUT_MS default) and with the SDK's default (10 s) as the baseline.
 */
async function measureLostWorker(dataset: string, temporalAddress: string, bundlePath: string): Promise<void> {
  const requests = QUICK ? 12 : 24;
  const runs: Record<'ctap' | 'base', number[]> = { ctap: [], base: [] };
  for (let round = 0; round < REPEATS; round++) {
    for (const [side, env] of [
      ['ctap', {}],
      ['base', { TEMPORAL_STICKY_TIMEOUT_MS: '10000' }],
    ] as const) {
      const db = 'ctap_bench_lost';
      await cloneDataset(dataset, db);
      // Each run files under references of its own (the copies' sequences all start alike, and a
      // workflow id, once used, stays taken in Temporal).
      const seq = new PgClient({ connectionString: dbUrl(db) });
      await seq.connect();
      await seq.query(`SELECT setval('request_reference_seq', nextval('request_reference_seq') + $1)`, [
        (round * 2 + (side === 'ctap' ? 1 : 2)) * 100_000,
      ]);
      await seq.end();
      const label = `lost-${side}`;
      const ctap = await startCtap({ databaseUrl: dbUrl(db), temporalAddress, bundlePath, worker: true, label, env });
      const other = await startExtraWorker({
        databaseUrl: dbUrl(db),
        temporalAddress,
        bundlePath,
        taskQueue: ctap.taskQueue,
        label: `${label}-2`,
        env,
      });
      const api = new HttpApi(ctap.baseUrl, 32);
      const retries = { count: 0 };
      try {
        const refs = await Promise.all(Array.from({ length: requests }, () => ctapOpen(api, retries)));
        const question = { questions: ['Which ministry leads the drafting of the bill?'] };
        await Promise.all(refs.map((r) => ctapDecision(api, 'cted', r, 'request-information', question, retries)));
        // Decisions start once the process is gone: a task Temporal had already handed to it when it
        // died waits for the workflow task timeout (10 s) instead, whatever this setting (docs/PERFORMANCE.md).
        const gone = new Promise((r) => other.once('exit', r));
        other.kill('SIGKILL');
        await gone;
        const answer = { answer: 'The Office of the Attorney-General leads the drafting.' };
        const ms = await Promise.all(
          refs.map((r) => ctapDecision(api, 'kenya', r, 'provide-information', answer, retries)),
        );
        runs[side].push(Math.max(...ms));
        if (process.env.BENCH_VERBOSE) console.log(`bench: W1 ${side} all (ms): ${ms.map(fmt).join(' ')}`);
        console.log(
          `bench: W1 round ${round + 1} ${side}: after a worker was lost, decisions p50 ${fmt(percentile(ms, 50))} ms, max ${fmt(Math.max(...ms))} ms`,
        );
      } finally {
        // References restart with each copy of the data set: end this side's workflows so the next
        // side's requests (same references) start their own.
        await terminateAll(temporalAddress, ctap.taskQueue);
        await api.close();
        await stopProcess(other);
        await stopProcess(ctap.worker);
        await stopProcess(ctap.api);
        await dropDatabase(db);
      }
    }
  }
  figures.push({
    id: 'W1',
    metric: `slowest decision after one of two workers is lost (${requests} requests)`,
    unit: 'ms',
    ctap: runs.ctap,
    base: runs.base,
    baseLabel: 'SDK default sticky timeout, 10 s',
    absGoal: 2000,
  });
}

/** Terminates every running workflow of a task queue (bench clean-up between runs). */
async function terminateAll(address: string, taskQueue: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    for await (const w of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` }))
      await client.workflow
        .getHandle(w.workflowId, w.runId)
        .terminate('bench clean-up')
        .catch(() => undefined);
  } finally {
    await connection.close();
  }
}

// ---------------------------------------------------------------- growth chart

function growthCharts(): string {
  const sizes = [...new Set(figures.filter((f) => f.size).map((f) => f.size!))].sort((a, b) => a - b);
  if (sizes.length < 2) return '';
  const series = (id: string, pick: (f: Figure) => boolean) =>
    sizes.map((s) =>
      Math.max(...figures.filter((f) => f.id === id && f.size === s && pick(f)).map((f) => median(f.ctap)), 0),
    );
  const chart = (title: string, lines: [string, number[]][]) =>
    [
      '```mermaid',
      'xychart-beta',
      `  title "${title}"`,
      `  x-axis [${sizes.map((s) => `"${sizeLabel(s)}"`).join(', ')}]`,
      '  y-axis "p95 ms"',
      ...lines.map(([, v]) => `  line [${v.map((x) => x.toFixed(1)).join(', ')}]`),
      '```',
      '',
      lines.map(([name, v], i) => `line ${i + 1}: ${name} (${v.map(fmt).join(' → ')} ms)`).join('; '),
    ].join('\n');
  return [
    chart('P4 list p95 (CTAP, worst case) by data set size', [
      ['filters and pages', series('P4', (f) => !f.metric.includes('q='))],
      ['text search q=', series('P4', (f) => f.metric.includes('q='))],
    ]),
    chart('P5 report p95 (CTAP, whole history) by data set size', [
      ['slowest report', series('P5', () => true)],
      ['stage-times', series('P5', (f) => f.metric.includes('stage-times'))],
    ]),
  ].join('\n\n');
}

/** CPU ms per lifecycle by component and concurrency, over all rounds (P1's batches). */
function cpuTable(): string {
  if (cpuProfiles.length === 0) return '';
  const rows = [...new Set(cpuProfiles.map((p) => p.c))].map((c) => {
    const of = cpuProfiles.filter((p) => p.c === c);
    const n = of.reduce((t, p) => t + p.lifecycles, 0);
    const ms = (side: 'ctap' | 'bare', k: string) => (of.reduce((t, p) => t + (p[side][k] ?? 0), 0) * 1000) / n;
    const cell = (k: string) => `${fmt(ms('ctap', k))} / ${k === 'api' ? '-' : fmt(ms('bare', k))}`;
    const total = (side: 'ctap' | 'bare') =>
      ['temporal', 'worker', 'api', 'postgres'].reduce((t, k) => t + ms(side, k), 0);
    return `| ${c} | ${cell('temporal')} | ${cell('worker')} | ${cell('api')} | ${cell('postgres')} | ${fmt(total('ctap'))} / ${fmt(total('bare'))} |`;
  });
  return [
    'CPU per lifecycle (ms), CTAP / bare, by concurrency (P1 batches, all rounds):',
    '',
    '| concurrency | Temporal server | worker | API | Postgres | total |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const started = Date.now();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
  console.log(
    `bench: ${QUICK ? 'quick' : 'full'} run on ${machine}; sizes ${SIZES.map(sizeLabel).join(', ')}; ${REPEATS} repeats`,
  );
  const datasets = new Map<number, string>();
  for (const size of SIZES) datasets.set(size, await ensureDataset(size));
  const bundlePath = await bundleWorkflows(path.join(LOG_DIR, 'workflow-bundle.js'));
  const temporal = await startTemporal();
  try {
    for (const size of SIZES) {
      if (ONLY.has('P4') || ONLY.has('P5')) await measureReads(size, datasets.get(size)!, temporal.address, bundlePath);
    }
    if (['P1', 'P2', 'P3', 'P6'].some((p) => ONLY.has(p))) {
      const size = SIZES[SIZES.length - 1];
      await measureLifecycles(size, datasets.get(size)!, temporal.address, bundlePath, temporal.pid);
    }
    if (ONLY.has('W1')) await measureLostWorker(datasets.get(SIZES[0])!, temporal.address, bundlePath);
  } finally {
    await stopAll();
    removeDir(temporal.dir);
  }
  const order = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'W1'];
  figures.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id) || (a.size ?? 0) - (b.size ?? 0));
  const md = [
    `Run ${new Date().toISOString()} (${QUICK ? 'make bench-quick' : 'make bench'}), ${machine}; ${REPEATS} repeats, ${Math.round((Date.now() - started) / 1000)} s.`,
    '',
    table(figures),
    '',
    cpuTable(),
    '',
    failures.size
      ? `Failed samples (timed as they took): ${[...failures].map(([k, n]) => `${k} × ${n}`).join(', ')}.`
      : '',
    '',
    growthCharts(),
  ].join('\n');
  console.log(`\n${md}`);
  writeFileSync(path.join(LOG_DIR, 'results.md'), md);
  writeFileSync(
    path.join(LOG_DIR, 'results.json'),
    JSON.stringify({ machine, quick: QUICK, repeats: REPEATS, figures }, null, 2),
  );
}

main()
  .catch(async (err) => {
    console.error(err);
    await stopAll();
    process.exitCode = 1;
  })
  .finally(() => setTimeout(() => process.exit(), 1000).unref());
