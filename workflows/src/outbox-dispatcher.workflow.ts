import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { OutboxActivities } from '@app/contracts';

const { dispatchOutbox } = proxyActivities<OutboxActivities>({
  // The activity runs for a minute at most and heartbeats after every message: a killed worker
  // is noticed within the heartbeat timeout and the run retried on another (or the restarted) one.
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

const RUNS_PER_EXECUTION = 200;

/**
 * Keeps the outbox dispatcher running for ever: each activity run sends what is due for about a
 * minute. Postgres holds the outbox state, so this workflow carries none.
 */
export async function outboxDispatcherWorkflow(input: { runMs?: number } = {}): Promise<void> {
  for (let i = 0; i < RUNS_PER_EXECUTION; i++) {
    await dispatchOutbox({ maxMs: input.runMs ?? 60_000 });
  }
  await continueAsNew<typeof outboxDispatcherWorkflow>(input);
}
