import './register-paths';
import { spawn } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Connection } from '@temporalio/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '@app/contracts';
import { dataSourceOptions, ensureDatabase } from '@app/persistence';
import { loadDevAccounts, loadMemberStates, loadReferenceData } from '../../seeds/src/seed-loaders';
import { bundleWorkflows } from '../../scripts/bundle-workflows';
import { temporalBinary } from './temporal-binaries';
import { TEST_ENV_FILE, TestEnv } from './test-env';
import { freePort } from './ports';

export { TEST_ENV_FILE };

const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/** Runs statements, in order, on the server of `url` connected to its `postgres` database. */
async function asAdmin(url: string, ...statements: string[]): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh test database: dropped, migrated and seeded (reference data, development accounts); refuses a name without "test". */
export async function prepareDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!/test/i.test(name))
    throw new Error(`refusing to run e2e tests against database "${name}": its name must contain "test"`);
  await asAdmin(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await ensureDatabase(url);
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  await ds.runMigrations({ transaction: 'each' });
  await loadMemberStates(ds);
  await loadReferenceData(ds);
  await loadDevAccounts(ds);
  await ds.destroy();
}

async function startDevServer(): Promise<{ address: string; pid: number }> {
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
  child.unref();
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.workflowService.describeNamespace({ namespace: 'default' });
      await conn.close();
      return { address, pid: child.pid! };
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal dev server did not start on ${address}`, { cause: err });
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/** The database of Jest worker n: the given one for worker 1, `<name>_w<n>` for the others. */
function workerDatabaseUrl(base: string, worker: number): string {
  if (worker === 1) return base;
  const url = new URL(base);
  url.pathname = `${url.pathname}_w${worker}`;
  return url.toString();
}

/** A copy of a prepared database (CREATE DATABASE … TEMPLATE: no migrations or seeds to run again). */
async function copyDatabase(from: string, to: string): Promise<void> {
  await asAdmin(
    from,
    `DROP DATABASE IF EXISTS "${databaseName(to)}" WITH (FORCE)`,
    `CREATE DATABASE "${databaseName(to)}" TEMPLATE "${databaseName(from)}"`,
  );
}

/**
 * One environment per Jest worker (globalConfig.maxWorkers): its own database and Temporal dev
 * server, so e2e files run side by side (`make test` runs two at a time) as they run one by one.
 * An external TEMPORAL_ADDRESS serves worker 1 only: the workers' databases number their requests
 * alike, so two of them on one server would collide on workflow ids.
 */
export default async function setup(globalConfig: { maxWorkers: number }): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ctap_test';
  const workers = Math.max(1, globalConfig.maxWorkers);
  // One workflow bundle for every file's workers (webpack costs each worker ~5 s of CPU otherwise);
  // the Jest workers inherit WORKFLOW_BUNDLE_PATH. test/foundation.e2e-spec.ts bundles at start.
  const bundle = bundleWorkflows(path.resolve(TEST_ENV_FILE, '..', `e2e-workflow-bundle-${process.pid}.js`));
  await prepareDatabase(databaseUrl);
  const urls = Array.from({ length: workers }, (_, i) => workerDatabaseUrl(databaseUrl, i + 1));
  for (const url of urls.slice(1)) await copyDatabase(databaseUrl, url);
  const external = process.env.TEMPORAL_ADDRESS;
  const servers = await Promise.all(
    urls.map((_, i) => (i === 0 && external ? { address: external, pid: null } : startDevServer())),
  );
  const envs: TestEnv[] = urls.map((url, i) => ({
    databaseUrl: url,
    temporalAddress: servers[i].address,
    temporalPid: servers[i].pid,
  }));
  process.env.WORKFLOW_BUNDLE_PATH = await bundle;
  mkdirSync(path.dirname(TEST_ENV_FILE), { recursive: true });
  const testEnv = JSON.stringify(envs);
  writeFileSync(TEST_ENV_FILE, testEnv);
  process.env.CTAP_TEST_ENV = testEnv;
}
