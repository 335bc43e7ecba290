/** Stable machine-readable codes: the API maps them to HTTP statuses, clients may branch on them. */
export type DomainErrorCode =
  | 'ROLE_NOT_ALLOWED'
  | 'STAGE_NOT_ALLOWED'
  | 'INVALID_PAYLOAD'
  | 'UNKNOWN_NEED'
  | 'UNKNOWN_REFERRAL'
  | 'UNKNOWN_ACTIVITY'
  | 'PLAN_NOT_READY'
  | 'ALREADY_RECORDED'
  | 'REQUEST_CLOSED';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
