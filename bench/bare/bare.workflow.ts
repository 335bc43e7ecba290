/**
 * The bare baseline: what one request would cost on Temporal and Postgres alone. One workflow per
 * request; each of its 13 Updates (a CTAP lifecycle's 12 decisions and one activity report) runs
 * one activity that does one INSERT, and the Update answers once it has. No read model, no hash
 * chain, no timers, no child workflows, no HTTP.
 */
import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export const BARE_STEPS = 13;

export interface BareStep {
  step: number;
  payload: Record<string, unknown>;
}

export const bareStepUpdate = defineUpdate<number, [BareStep]>('bareStep');

export interface BareActivities {
  insertEvent(input: { workflowId: string; step: number; payload: Record<string, unknown> }): Promise<void>;
}

const { insertEvent } = proxyActivities<BareActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function bareRequestWorkflow(input: { workflowId: string }): Promise<number> {
  let done = 0;
  setHandler(bareStepUpdate, async ({ step, payload }) => {
    await insertEvent({ workflowId: input.workflowId, step, payload });
    done++;
    return done;
  });
  await condition(() => done >= BARE_STEPS);
  await condition(allHandlersFinished);
  return done;
}
