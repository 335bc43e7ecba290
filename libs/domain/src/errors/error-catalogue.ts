/**
 * Every error code the system answers with, once: its HTTP status, its problem title, and the
 * field it concerns when that is always the same one. The domain's refusals, the delivery
 * workflow's and the HTTP layer's all take their code from here, so the compiler rejects an
 * unknown code; docs/API.md's error table is tested against this list.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, title: 'Validation failed' },
  BODY_TOO_DEEP: { status: 400, title: 'Body nested too deeply' },
  MALFORMED_BODY: { status: 400, title: 'Bad request' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, title: 'Idempotency-Key required', field: 'Idempotency-Key' },
  UNAUTHENTICATED: { status: 401, title: 'Unauthorized' },
  INVALID_CREDENTIALS: { status: 401, title: 'Unauthorized' },
  SESSION_ENDED: { status: 401, title: 'Unauthorized' },
  ROLE_NOT_ALLOWED: { status: 403, title: 'Forbidden' },
  NO_ACCESS_POLICY: { status: 403, title: 'Forbidden' },
  CSRF_HEADER_REQUIRED: { status: 403, title: 'Forbidden', field: 'X-CTAP-CSRF' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  STAGE_NOT_ALLOWED: { status: 409, title: 'Conflict' },
  PLAN_NOT_READY: { status: 409, title: 'Conflict' },
  ALREADY_RECORDED: { status: 409, title: 'Conflict' },
  REQUEST_CLOSED: { status: 409, title: 'Conflict' },
  ASSIGNMENT_CONFLICT: { status: 409, title: 'Conflict' },
  IDEMPOTENCY_KEY_IN_FLIGHT: { status: 409, title: 'Conflict', field: 'Idempotency-Key' },
  EMAIL_TAKEN: { status: 409, title: 'Conflict', field: 'email' },
  CANNOT_DEACTIVATE_SELF: { status: 409, title: 'Conflict' },
  CANNOT_DEMOTE_SELF: { status: 409, title: 'Conflict', field: 'role' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  INVALID_PAYLOAD: { status: 422, title: 'Unprocessable entity' },
  UNKNOWN_NEED: { status: 422, title: 'Unprocessable entity', field: 'referrals' },
  UNKNOWN_REFERRAL: { status: 422, title: 'Unprocessable entity', field: 'referralId' },
  INVALID_CURSOR: { status: 422, title: 'Unprocessable entity', field: 'cursor' },
  UNKNOWN_MEMBER_STATE: { status: 422, title: 'Unprocessable entity', field: 'memberState' },
  STORAGE_REFUSED: { status: 422, title: 'Unprocessable entity' },
  INVALID_ASSIGNEE: { status: 422, title: 'Unprocessable entity', field: 'assigneeId' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Unprocessable entity', field: 'Idempotency-Key' },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too many requests' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INTERNAL_ERROR: { status: 500, title: 'Internal server error' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  OUTCOME_UNKNOWN: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string; field?: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The codes a workflow (the domain rules or a delivery activity) may refuse a decision with. */
export type RefusalCode = Extract<
  ErrorCode,
  | 'ROLE_NOT_ALLOWED'
  | 'STAGE_NOT_ALLOWED'
  | 'INVALID_PAYLOAD'
  | 'UNKNOWN_NEED'
  | 'UNKNOWN_REFERRAL'
  | 'PLAN_NOT_READY'
  | 'ALREADY_RECORDED'
  | 'REQUEST_CLOSED'
  | 'ASSIGNMENT_CONFLICT'
  | 'INVALID_ASSIGNEE'
>;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

/** The field a refusal concerns: the one it names, else the catalogue's, else the body as a whole. */
export function errorField(code: ErrorCode, field?: string): string {
  return field ?? (ERROR_CATALOGUE[code] as { field?: string }).field ?? '(body)';
}
