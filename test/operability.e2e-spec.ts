import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Connection, Client } from '@temporalio/client';
import { requestWorkflowId } from '@app/contracts';
import { sharedWorkflowBundle } from './support/processes';
import { newRequest, startRequest } from './support/request-driver';
import { readTestEnv } from './support/test-env';
import { startStack } from './support/test-stack';
import { waitFor } from './support/wait';
import { freePort } from './support/ports';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..');

/** Resolves with the exit code, or the signal name when the process ended by a signal. */
function exited(child: ChildProcess): Promise<number | string | null> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve(child.exitCode ?? child.signalCode)
      : child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
}

describe('operability', () => {
  it('answers 503 on /health naming Temporal when Temporal is down, and stays up', async () => {
    const closedPort = await freePort();
    const stack = await startStack('health-down', {
      worker: false,
      env: { TEMPORAL_ADDRESS: `127.0.0.1:${closedPort}` },
    });
    try {
      const res = await stack.http.get('/health').expect(503);
      expect(res.body.status).toBe('down');
      expect(res.body.checks.postgres.status).toBe('up');
      expect(res.body.checks.temporal.status).toBe('down');
    } finally {
      await stack.close();
    }
  });

  it('worker waits for Temporal, polls once it is up, shuts down cleanly; the dev server keeps workflows across a restart', async () => {
    const port = await freePort();
    const uiPort = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ctap-devserver-'));
    const address = `127.0.0.1:${port}`;
    const taskQueue = `operability-${process.pid}`;
    const bundle = await sharedWorkflowBundle();
    const { databaseUrl } = readTestEnv();
    let log = '';
    const worker = spawn(process.execPath, ['-r', './scripts/register.js', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        WORKFLOW_BUNDLE_PATH: bundle,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'log',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (c: Buffer) => (log += c.toString()));
    worker.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const devServer = () =>
      spawn('bash', ['scripts/dev-server.sh'], {
        cwd: ROOT,
        env: {
          ...process.env,
          TEMPORAL_PORT: String(port),
          TEMPORAL_UI_PORT: String(uiPort),
          TEMPORAL_DATA_DIR: dataDir,
        },
        stdio: 'ignore',
        detached: true,
      });
    let server: ChildProcess | undefined;
    try {
      await waitFor(async () => /not reachable \(attempt 2/.test(log), 30_000);
      expect(log).not.toMatch(/polling task queue/);

      server = devServer();
      await waitFor(async () => log.includes(`polling task queue ${taskQueue}`), 90_000);
      const lines = log.split('\n').filter((l) => l.includes('polling task queue'));
      expect(JSON.parse(lines[0])).toMatchObject({ level: 'log', context: 'TemporalWorkerService' });

      const connection = await Connection.connect({ address });
      const client = new Client({ connection });
      const request = newRequest(`E2E-OPS-${process.pid}-${Date.now()}`);
      await startRequest(client, taskQueue, request);
      await waitFor(
        async () =>
          (await client.workflow.getHandle(requestWorkflowId(request.reference)).describe()).historyLength >= 5,
      );

      const stopAt = Date.now();
      worker.kill('SIGTERM');
      // Nest runs the shutdown hooks, then re-raises the signal so the process ends as SIGTERM would end it.
      expect(await exited(worker)).toBe('SIGTERM');
      expect(Date.now() - stopAt).toBeLessThan(25_000);
      expect(log).toMatch(/shutting down \(SIGTERM\): finishing in-flight activities/);
      expect(log).not.toMatch(/"level":"error"/);

      // The Web UI answers on its port.
      const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
      expect(ui.status).toBe(200);

      // Stop the dev server and start it again on the same SQLite file: the workflow is still there, still running.
      process.kill(-server.pid!, 'SIGTERM');
      await exited(server);
      await connection.close();
      server = devServer();
      const again = await waitForConnection(address);
      const described = await new Client({ connection: again }).workflow
        .getHandle(requestWorkflowId(request.reference))
        .describe();
      expect(described.status.name).toBe('RUNNING');
      await again.close();
    } finally {
      worker.kill('SIGKILL');
      if (server?.pid) {
        try {
          process.kill(-server.pid, 'SIGKILL');
        } catch {
          // already stopped
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

async function waitForConnection(address: string): Promise<Connection> {
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.describeNamespace({ namespace: 'default' });
      return c;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
