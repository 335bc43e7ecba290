import { readTestEnvs } from './test-env';

export default async function teardown(): Promise<void> {
  for (const { temporalPid } of readTestEnvs()) {
    if (!temporalPid) continue;
    try {
      process.kill(-temporalPid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}
