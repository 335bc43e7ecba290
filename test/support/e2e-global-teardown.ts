import { rmSync } from 'fs';
import { readTestEnvs } from './test-env';

export default async function teardown(): Promise<void> {
  if (process.env.WORKFLOW_BUNDLE_PATH) rmSync(process.env.WORKFLOW_BUNDLE_PATH, { force: true });
  for (const { temporalPid } of readTestEnvs()) {
    if (!temporalPid) continue;
    try {
      process.kill(-temporalPid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}
