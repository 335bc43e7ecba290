import { WorkflowUpdateFailedError } from '@temporalio/client';

const RETRYABLE_REFUSALS = new Set(['PLAN_NOT_READY']);

/**
 * Runs a decision until it is accepted: transport errors and timeouts (worker down) are retried
 * with the same decision id; a refusal is retried only when it is a wait for an asynchronous
 * effect (a delivered activity not yet reported to its request). Anything else is a failure.
 */
export async function untilAccepted<T>(
  run: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<{ value: T; attempts: number }> {
  const until = Date.now() + timeoutMs;
  for (let attempts = 1; ; attempts++) {
    try {
      return { value: await run(), attempts };
    } catch (err) {
      const refusal = err instanceof WorkflowUpdateFailedError ? (err.cause as { type?: string })?.type : undefined;
      if (refusal && !RETRYABLE_REFUSALS.has(refusal)) throw err;
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
