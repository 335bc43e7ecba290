import { Worker } from '@temporalio/worker';
import type { DispatchOutcome } from '@app/contracts';
import { outboxDispatcherWorkflow } from '../src';
import { saveHistory } from './histories';
import { createTimeSkippingEnv, workflowBundle } from './workflow-env';
import { waitFor } from '../../test/support/wait';

jest.setTimeout(120_000);

/** The dispatcher keeps its activity running: a failed run (a killed worker) is retried, and runs follow each other. */
describe('outbox dispatcher workflow', () => {
  it('runs the dispatch activity again and again, retrying a failed run', async () => {
    const env = await createTimeSkippingEnv();
    const calls: number[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'outbox',
      workflowBundle: await workflowBundle(),
      activities: {
        async dispatchOutbox(input: { maxMs: number }): Promise<DispatchOutcome> {
          calls.push(input.maxMs);
          if (calls.length === 2) throw new Error('worker lost mid-send');
          return { emails: 1, webhooks: 0 };
        },
      },
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(outboxDispatcherWorkflow, {
        taskQueue: 'outbox',
        workflowId: 'outbox-dispatcher/outbox',
        args: [{ runMs: 1000 }],
      });
      await waitFor(async () => calls.length >= 5);
      await handle.terminate('test over');
      await saveHistory(handle, 'outbox-dispatcher');
    });
    expect(calls.slice(0, 5)).toEqual([1000, 1000, 1000, 1000, 1000]);
    await env.teardown();
  });
});
