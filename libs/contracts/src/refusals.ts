import { ApplicationFailure } from '@temporalio/common';
import type { RefusalCode } from '@app/domain';

/**
 * A workflow's refusal of a decision, as the API reads it: the catalogue code as the failure
 * type and the field it concerns in the details (workflow-errors.ts in the API).
 */
export function refusal(code: RefusalCode, message: string, field?: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: code, nonRetryable: true, details: [field ? { field } : {}] });
}
