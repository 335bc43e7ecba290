import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { STORAGE_REFUSED } from '@app/contracts';
import type { StorageRefusal } from '@app/contracts';

/**
 * The persist activity's STORAGE_REFUSED failure, re-raised from an Update handler: it fails that
 * Update only (the caller gets the refusal) and the workflow keeps running with its old state.
 */
export function storageRefusalOf(err: unknown): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || cause.type !== STORAGE_REFUSED) return undefined;
  const [refusal] = (cause.details ?? []) as StorageRefusal[];
  return ApplicationFailure.create({
    type: STORAGE_REFUSED,
    message: cause.message,
    nonRetryable: true,
    details: refusal ? [refusal] : [],
  });
}
