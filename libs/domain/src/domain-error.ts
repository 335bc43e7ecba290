import type { RefusalCode } from './errors/error-catalogue';

/** Stable machine-readable codes of the domain's refusals (see errors/error-catalogue.ts). */
export type DomainErrorCode = RefusalCode;

/** A refusal by the domain rules: its code, and the payload field it concerns when there is one. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
