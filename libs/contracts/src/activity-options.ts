import type { ActivityOptions } from '@temporalio/common';

/**
 * The one set of options both workflows proxy their activity functions with. Storage retries
 * for ever by design (a database outage must not lose a fact); refusals no retry can cure are
 * raised as non-retryable failures by the activity itself (STORAGE_REFUSED).
 */
export const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
};
