import { readFileSync } from 'fs';
import * as path from 'path';

export interface TestEnv {
  databaseUrl: string;
  temporalAddress: string;
  temporalPid: number | null;
}

export const TEST_ENV_FILE = path.resolve(__dirname, '..', '..', '.data', 'test-env.json');

/**
 * What the e2e global setup prepared. Passed through the environment (Jest workers inherit it),
 * so two test runs on one machine never read each other's database or server; the file is only
 * a fallback for tools run by hand.
 */
export function readTestEnv(): TestEnv {
  const raw = process.env.CTAP_TEST_ENV ?? readFileSync(TEST_ENV_FILE, 'utf8');
  return JSON.parse(raw) as TestEnv;
}
