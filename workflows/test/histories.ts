import { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';

export const HISTORIES_DIR = path.join(__dirname, 'histories');

/**
 * With RECORD_HISTORIES=1 the workflow tests save each path's history; the committed files are
 * replayed by replay.spec.ts so a change that breaks running executions fails `make test`.
 */
export async function saveHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  // Protobuf binary (base64): exact, and independent of the JSON mapping of any SDK version.
  const encoded = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('base64');
  writeFileSync(
    path.join(HISTORIES_DIR, `${name}.json`),
    JSON.stringify({ workflowId: handle.workflowId, events: history.events?.length, history: encoded }, null, 1),
  );
}

export function decodeHistory(encoded: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.decode(Buffer.from(encoded, 'base64'));
}
