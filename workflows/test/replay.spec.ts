import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR, decodeHistory } from './histories';
import { workflowBundle } from './workflow-env';

jest.setTimeout(120_000);

// Subfolders keep the histories of earlier workflow versions: running executions may be that old.
const files = (readdirSync(HISTORIES_DIR, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();

/** Every committed history must replay without non-determinism against today's workflow code. */
describe('replay of committed workflow histories', () => {
  it('has histories for every path', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('replays %s', async (file) => {
    const { workflowId, history } = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, decodeHistory(history), workflowId);
  });
});
