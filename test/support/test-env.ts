import { readFileSync } from 'fs';
import * as path from 'path';

export interface TestEnv {
  databaseUrl: string;
  temporalAddress: string;
  temporalPid: number | null;
}

export const TEST_ENV_FILE = path.resolve(__dirname, '..', '..', '.data', 'test-env.json');

/**
 * What the e2e global setup prepared for this Jest worker: each worker (JEST_WORKER_ID 1..n) has a
 * database and a Temporal dev server of its own, so files running side by side never see each
 * other's requests, outbox or workflow ids. Passed through the environment (Jest workers inherit
 * it), so two test runs on one machine never read each other's either; the file is only a fallback
 * for tools run by hand (worker 1's).
 */
export function readTestEnv(): TestEnv {
  const envs = readTestEnvs();
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const env = envs[worker - 1];
  if (!env) throw new Error(`no test environment for Jest worker ${worker} (the global setup prepared ${envs.length})`);
  return env;
}

/** Every worker's environment (the global teardown stops their servers). */
export function readTestEnvs(): TestEnv[] {
  return JSON.parse(process.env.CTAP_TEST_ENV ?? readFileSync(TEST_ENV_FILE, 'utf8')) as TestEnv[];
}
