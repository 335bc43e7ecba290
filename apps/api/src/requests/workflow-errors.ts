import { HttpException } from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ERROR_CATALOGUE, errorField, isErrorCode } from '@app/domain';
import { apiError } from '../common/api-error';
import { STORAGE_REFUSED } from '@app/contracts';
import type { StorageRefusal } from '@app/contracts';

/** What a workflow refusal carries besides its code (ApplicationFailure details, see refusal()). */
interface RefusalDetails {
  field?: string;
}

/**
 * Turns what the workflow answered into the HTTP errors the API documents. A refusal carries its
 * catalogue code as the failure type and the field it concerns in its details: no message parsing.
 */
export function workflowErrorToHttp(err: unknown, opts: { closed?: string } = {}): HttpException {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const code = isErrorCode(err.cause.type) ? err.cause.type : 'INVALID_PAYLOAD';
    const detail = err.cause.message;
    if (err.cause.type === STORAGE_REFUSED) {
      // The database refused a value the validators let through: the decision is refused, the request unchanged.
      const refusal = err.cause.details?.[0] as StorageRefusal | undefined;
      const field = refusal?.field ?? '(body)';
      const reason = `the database cannot store this value (SQLSTATE ${refusal?.sqlState ?? 'unknown'})`;
      return apiError('STORAGE_REFUSED', `${field}: ${reason}`, [{ field, reason }]);
    }
    if (ERROR_CATALOGUE[code].status !== 422) return apiError(code, detail);
    const { field } = (err.cause.details?.[0] ?? {}) as RefusalDetails;
    return apiError(code, detail, [{ field: errorField(code, field), reason: detail }]);
  }
  if (err instanceof WorkflowNotFoundError || /already completed|not found/i.test((err as Error)?.message ?? '')) {
    return apiError('REQUEST_CLOSED', opts.closed ?? 'the request is closed and takes no more decisions');
  }
  // The Update may have reached the workflow before the answer was lost: only a retry with the
  // same decisionId (applied at most once) can tell.
  return apiError(
    'OUTCOME_UNKNOWN',
    'the workflow service did not answer in time; the decision may have been recorded: retry with the same decisionId',
  );
}
