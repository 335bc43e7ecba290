import { readTestEnv } from './test-env';

export default async function teardown(): Promise<void> {
  const { temporalPid } = readTestEnv();
  if (temporalPid) {
    try {
      process.kill(-temporalPid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}
