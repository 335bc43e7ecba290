/**
 * The benchmark's own stack: a Temporal dev server, CTAP's API and worker and the bare baseline's
 * worker, each a separate process on ports of the bench range (BENCH_PORTS, default 45000-45099),
 * so CPU and memory are measured per process and nothing is shared with a running `make start`.
 */
import { ChildProcess, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { Connection } from '@temporalio/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '@app/contracts';
import { temporalBinary } from '../test/support/temporal-binaries';

const ROOT = path.resolve(__dirname, '..');
export const LOG_DIR = path.join(ROOT, '.data', 'bench');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const taken = new Set<number>();
/** The next free port of the bench range. */
export async function benchPort(): Promise<number> {
  const [lo, hi] = (process.env.BENCH_PORTS ?? '45000-45099').split('-').map(Number);
  for (let p = lo; p <= hi; p++) {
    if (taken.has(p)) continue;
    taken.add(p);
    if (await portFree(p)) return p;
  }
  throw new Error(`no free port in ${lo}-${hi}`);
}

const children: ChildProcess[] = [];

/** Stops every process the bench started (each by its own pid, never by name). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    children.splice(0).map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const timer = setTimeout(() => c.kill('SIGKILL'), 25_000);
          c.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
}

function start(name: string, cmd: string, args: string[], env: Record<string, string>): ChildProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = openSync(path.join(LOG_DIR, `${name}.log`), 'w');
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  children.push(child);
  child.once('exit', (code, signal) => {
    if (code && !signal) console.error(`bench: ${name} exited with ${code} (see .data/bench/${name}.log)`);
  });
  return child;
}

/** BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") go to every Node process the bench starts: profiles of what it measures. */
const node = (script: string) => [
  ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
  '-r',
  './scripts/register.js',
  script,
];

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startTemporal(): Promise<{ address: string; dir: string; pid: number }> {
  const port = await benchPort();
  const dir = mkdtempSync(path.join(tmpdir(), 'ctap-bench-temporal-'));
  const attrs = Object.entries(CUSTOM_SEARCH_ATTRIBUTES).flatMap(([k, v]) => ['--search-attribute', `${k}=${v}`]);
  // As scripts/dev-server.sh runs it: SQLite in WAL mode.
  const server = start(
    'temporal',
    temporalBinary('cli'),
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(await benchPort()),
      '--headless',
      '--db-filename',
      path.join(dir, 'dev.sqlite'),
      '--sqlite-pragma',
      'journal_mode=WAL',
      '--sqlite-pragma',
      'synchronous=NORMAL',
      '--log-level',
      'error',
      ...attrs,
    ],
    {},
  );
  const address = `127.0.0.1:${port}`;
  await waitFor('Temporal dev server', async () => {
    const conn = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await conn.workflowService.describeNamespace({ namespace: 'default' });
      return true;
    } finally {
      await conn.close();
    }
  });
  return { address, dir, pid: server.pid! };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Ctap {
  api: ChildProcess;
  worker?: ChildProcess;
  baseUrl: string;
  taskQueue: string;
}

interface CtapProcessOptions {
  databaseUrl: string;
  temporalAddress: string;
  bundlePath: string;
  /** Extra environment for its processes (e.g. TEMPORAL_STICKY_TIMEOUT_MS). */
  env?: Record<string, string>;
}

/** The environment every CTAP process the bench starts runs with. */
function ctapEnv(opts: CtapProcessOptions, taskQueue: string, apiPort: number): Record<string, string> {
  return {
    DATABASE_URL: opts.databaseUrl,
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_PORT: String(apiPort),
    LOG_LEVEL: 'log',
    RATE_LIMIT_PER_MINUTE: '10000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    WORKFLOW_BUNDLE_PATH: opts.bundlePath,
    NODE_ENV: 'development',
    ...opts.env,
  };
}

/** Starts a CTAP worker; `polling()` waits until it polls its task queue. */
function startWorker(name: string, env: Record<string, string>): { child: ChildProcess; polling: () => Promise<void> } {
  const child = start(name, process.execPath, node('apps/worker/src/main.ts'), env);
  return { child, polling: () => waitFor('CTAP worker', async () => /polling task queue/.test(logOf(name))) };
}

export async function startCtap(opts: CtapProcessOptions & { worker: boolean; label: string }): Promise<Ctap> {
  const apiPort = await benchPort();
  const taskQueue = `bench-ctap-${opts.label}`;
  const env = ctapEnv(opts, taskQueue, apiPort);
  const api = start(`api-${opts.label}`, process.execPath, node('apps/api/src/main.ts'), env);
  const worker = opts.worker ? startWorker(`worker-${opts.label}`, env) : undefined;
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  await waitFor('CTAP API', async () => (await fetch(`${baseUrl}/health`)).status === 200);
  await worker?.polling();
  return { api, worker: worker?.child, baseUrl, taskQueue };
}

/** One more CTAP worker on a running stack's task queue (the lost-worker measurement kills it). */
export async function startExtraWorker(
  opts: CtapProcessOptions & { taskQueue: string; label: string },
): Promise<ChildProcess> {
  const worker = startWorker(`worker-${opts.label}`, ctapEnv(opts, opts.taskQueue, 0));
  await worker.polling();
  return worker.child;
}

export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child) return;
  const i = children.indexOf(child);
  if (i >= 0) children.splice(i, 1);
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startBareWorker(opts: {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
}): Promise<ChildProcess> {
  const child = start('bare-worker', process.execPath, node('bench/bare/bare-worker.ts'), {
    BARE_DATABASE_URL: opts.databaseUrl,
    TEMPORAL_ADDRESS: opts.temporalAddress,
    BARE_TASK_QUEUE: opts.taskQueue,
  });
  await waitFor('bare worker', async () => /bare worker polling/.test(logOf('bare-worker')));
  return child;
}

function logOf(name: string): string {
  try {
    return readFileSync(path.join(LOG_DIR, `${name}.log`), 'utf8');
  } catch {
    return '';
  }
}

/** Resident set size of a process (MiB), from /proc. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system, seconds) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), closed by ')': utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

/**
 * CPU time (seconds) of each Postgres backend serving one database, by pid: their process titles
 * name it ("postgres: 15/main: postgres ctap_bench_run 127.0.0.1(…) idle"). Per backend, so a
 * delta over a batch counts only backends alive at its end (pools keep theirs): one that exits
 * meanwhile is missed, instead of its whole past CPU being subtracted (negative totals, seen).
 */
export function postgresCpuSeconds(database: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // Debian names the cluster first: "postgres: 15/main: <user> <database> <client> <state>".
      const title = /^postgres: (?:[^:\s]+: )?\S+ (\S+) /.exec(cmdline);
      if (title?.[1] === database) byPid.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // Gone meanwhile.
    }
  }
  return byPid;
}
