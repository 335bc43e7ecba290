import { ChildProcess, spawn } from 'child_process';
import { appendFileSync } from 'fs';
import * as path from 'path';
import { Connection } from '@temporalio/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '@app/contracts';
import { freePort } from './ports';
import { bundleWorkflows } from '../../scripts/bundle-workflows';
import { temporalBinary } from './temporal-binaries';

const ROOT = path.resolve(__dirname, '..', '..');

/** A process of the system (API or worker) started as it runs in production, so it can be SIGKILLed. */
export interface AppProcess {
  child: ChildProcess;
  log(): string;
  /** Resolves once the process has logged `marker` (rejects if it exits first or takes too long). */
  ready: Promise<void>;
  exited: Promise<number | string | null>;
}

function startApp(entry: string, env: Record<string, string>, marker: string): AppProcess {
  let log = '';
  const child = spawn(process.execPath, ['-r', './scripts/register.js', entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  // TEST_LOG_DIR keeps each process's log for a failure's post-mortem (a killed process's is lost otherwise).
  if (process.env.TEST_LOG_DIR) {
    const file = path.join(
      process.env.TEST_LOG_DIR,
      `${path.basename(path.dirname(path.dirname(entry)))}-${child.pid}.log`,
    );
    child.stdout!.on('data', (c: Buffer) => appendFileSync(file, c));
    child.stderr!.on('data', (c: Buffer) => appendFileSync(file, c));
  }
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not log "${marker}" in time:\n${log}`)), 60_000);
    const check = () => {
      if (!log.includes(marker)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code}) before "${marker}":\n${log}`));
    });
  });
  ready.catch(() => undefined);
  return { child, log: () => log, ready, exited };
}

export function startApi(port: number, env: Record<string, string>): AppProcess {
  return startApp(
    'apps/api/src/main.ts',
    {
      API_PORT: String(port),
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      ...env,
    },
    'listening on',
  );
}

export function startWorker(env: Record<string, string>): AppProcess {
  return startApp('apps/worker/src/main.ts', env, 'polling task queue');
}

/** A Temporal dev server of the test's own (in memory), which the test may kill. */
export async function startTemporal(): Promise<{ address: string; kill(): void }> {
  const port = await freePort();
  const attrs = Object.entries(CUSTOM_SEARCH_ATTRIBUTES).flatMap(([k, v]) => ['--search-attribute', `${k}=${v}`]);
  const child = spawn(
    temporalBinary('cli'),
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--headless',
      '--log-level',
      'error',
      ...attrs,
    ],
    { stdio: 'ignore', detached: true },
  );
  const address = `127.0.0.1:${port}`;
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.workflowService.describeNamespace({ namespace: 'default' });
      await conn.close();
      return { address, kill };
    } catch (err) {
      if (Date.now() > until) {
        kill();
        throw new Error(`Temporal dev server did not start on ${address}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { code?: string };
  /** Set when no answer came back at all (connection refused or reset: the API died). */
  networkError?: string;
  ms: number;
}

/** One HTTP call to a spawned API; a dropped connection is a result too, not an exception. */
export async function http(
  base: string,
  method: string,
  route: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const start = Date.now();
  try {
    const res = await fetch(base + route, {
      method,
      headers: {
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {}, ms: Date.now() - start };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return {
      status: 0,
      headers: new Headers(),
      body: {},
      networkError: cause?.code ?? (err as Error).message,
      ms: Date.now() - start,
    };
  }
}

/**
 * The workflow bundle the e2e global setup built for this run (WORKFLOW_BUNDLE_PATH), or one built
 * now when a file runs without that setup.
 */
export async function sharedWorkflowBundle(): Promise<string> {
  return (
    process.env.WORKFLOW_BUNDLE_PATH || bundleWorkflows(path.join(ROOT, '.data', `workflow-bundle-${process.pid}.js`))
  );
}
