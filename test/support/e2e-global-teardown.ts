import { readFileSync } from 'fs';
import { TEST_ENV_FILE } from './e2e-global-setup';

export default async function teardown(): Promise<void> {
  const { temporalPid } = JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8')) as { temporalPid: number | null };
  if (temporalPid) {
    try {
      process.kill(-temporalPid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}
