import {
  ConflictException,
  ForbiddenException,
  HttpException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';

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
  // The Update may have reached the workflow before the answer was lost: only a retry with the
  // same decisionId (applied at most once) can tell.
  return new ServiceUnavailableException({
    code: 'OUTCOME_UNKNOWN',
    detail:
      'the workflow service did not answer in time; the decision may have been recorded: retry with the same decisionId',
  });
}
