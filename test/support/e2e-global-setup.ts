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
import { temporalBinary } from './temporal-binaries';
import { TEST_ENV_FILE } from './test-env';
import { freePort } from './ports';

export { TEST_ENV_FILE };

/** A fresh, migrated and seeded test database; refuses any database whose name lacks "test". */
/** A fresh test database: dropped, migrated and seeded (reference data, development accounts). */
export async function prepareDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/test/i.test(name))
    throw new Error(`refusing to run e2e tests against database "${name}": its name must contain "test"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
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

export default async function setup(): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ctap_test';
  await prepareDatabase(databaseUrl);
  const external = process.env.TEMPORAL_ADDRESS;
  const server = external ? { address: external, pid: null } : await startDevServer();
  mkdirSync(path.dirname(TEST_ENV_FILE), { recursive: true });
  const testEnv = JSON.stringify({ databaseUrl, temporalAddress: server.address, temporalPid: server.pid });
  writeFileSync(TEST_ENV_FILE, testEnv);
  process.env.CTAP_TEST_ENV = testEnv;
  process.env.DATABASE_URL = databaseUrl;
  process.env.TEMPORAL_ADDRESS = server.address;
}
