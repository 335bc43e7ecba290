import {
  ConflictException,
  ForbiddenException,
  HttpException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { STORAGE_REFUSED } from '@app/contracts';
import type { StorageRefusal } from '@app/contracts';

/** Refusals that concern the content of the body: 422, naming the field. Everything else the workflow refuses is a 409. */
const PAYLOAD_CODES = new Set(['INVALID_PAYLOAD', 'UNKNOWN_NEED', 'UNKNOWN_REFERRAL']);

/**
 * Names the body field a workflow refusal is about: the path its message starts with when that
 * path's root is one of the operation's fields (`activities[0].endDate must not be...`), else
 * the field given for the code, else `(body)`.
 */
export function refusedField(code: string, message: string, fields: readonly string[]): string {
  const path = /^[A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+(?:\[\d+\])?)*/.exec(message)?.[0];
  const root = path?.split(/[.[]/)[0];
  if (path && root && fields.includes(root)) return path;
  if (code === 'UNKNOWN_NEED' || /need/.test(message)) return fields.includes('referrals') ? 'referrals' : '(body)';
  if (code === 'UNKNOWN_REFERRAL') return 'referralId';
  if (/participant/.test(message) && fields.includes('participantsByState')) return 'participantsByState';
  if (/indicator/.test(message)) return 'officialsTrained';
  return '(body)';
}

/** Turns what the workflow answered into the HTTP errors the API documents. */
export function workflowErrorToHttp(
  err: unknown,
  opts: { fields?: readonly string[]; closed?: string } = {},
): HttpException {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const code = err.cause.type ?? 'REFUSED';
    const detail = err.cause.message;
    if (code === 'ROLE_NOT_ALLOWED') return new ForbiddenException({ code, detail });
    if (code === STORAGE_REFUSED) {
      // The database refused a value the validators let through: the decision is refused, the request unchanged.
      const refusal = err.cause.details?.[0] as StorageRefusal | undefined;
      const field = refusal?.field ?? '(body)';
      const reason = `the database cannot store this value (SQLSTATE ${refusal?.sqlState ?? 'unknown'})`;
      return new UnprocessableEntityException({ code, detail: `${field}: ${reason}`, errors: [{ field, reason }] });
    }
    if (PAYLOAD_CODES.has(code)) {
      const field = refusedField(code, detail, opts.fields ?? []);
      return new UnprocessableEntityException({ code, detail, errors: [{ field, reason: detail }] });
    }
    return new ConflictException({ code, detail });
  }
  if (err instanceof WorkflowNotFoundError || /already completed|not found/i.test((err as Error)?.message ?? '')) {
    return new ConflictException({
      code: 'REQUEST_CLOSED',
      detail: opts.closed ?? 'the request is closed and takes no more decisions',
    });
  }
  return new ServiceUnavailableException({
    code: 'WORKFLOW_UNAVAILABLE',
    detail: 'the workflow service did not answer in time; retry with the same decisionId',
  });
}
