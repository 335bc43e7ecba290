// Builds the workflow bundle once (same webpack hook as the worker) so workers start without
// bundling: WORKFLOW_BUNDLE_PATH=dist/workflow-bundle.js npm run start:worker
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH, webpackConfigHook } from '@app/temporal';

export async function bundleWorkflows(out: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, webpackConfigHook });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  return out;
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  bundleWorkflows(out)
    .then((file) => console.log(`workflow bundle written to ${file}`))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
