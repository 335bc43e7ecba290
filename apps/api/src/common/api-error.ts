import { HttpException } from '@nestjs/common';
import { ERROR_CATALOGUE, ErrorCode, FieldError } from '@app/domain';

/**
 * The one way the API raises an error: a code from the catalogue (libs/domain/src/errors), whose
 * HTTP status and title come with it. The problem-details filter writes it as problem+json.
 */
export function apiError(code: ErrorCode, detail: string, errors?: FieldError[], cause?: unknown): HttpException {
  const { status, title } = ERROR_CATALOGUE[code];
  return new HttpException({ code, title, detail, ...(errors ? { errors } : {}) }, status, { cause });
}

/** A 400 (or the given code) naming each invalid field. */
export function validationException(errors: FieldError[], code: ErrorCode = 'VALIDATION_FAILED'): HttpException {
  return apiError(code, errors.map((e) => `${e.field}: ${e.reason}`).join('; '), errors);
}

/**
 * A 404 naming the path parameter that names nothing the caller may see: `what` is the kind of
 * thing (`request`, `user`, `webhook subscription`). The same answer whatever the reason (no such
 * thing, another State's, a shape no identifier has), so a 404 reveals nothing.
 */
export function notFound(parameter: string, what: string, detail = `${what} not found`): HttpException {
  return apiError('NOT_FOUND', detail, [{ field: parameter, reason: `no such ${what}` }]);
}
