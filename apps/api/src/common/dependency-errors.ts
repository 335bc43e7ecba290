import { ServiceUnavailableException } from '@nestjs/common';

export type Dependency = 'postgres' | 'temporal';

/** Seconds a client should wait before retrying a 503 (sent as `Retry-After`). */
export const RETRY_AFTER_SECONDS = 2;

/**
 * SQLSTATEs that say the server (not the statement) failed: connection exceptions (class 08),
 * operator intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now),
 * too many connections (53300).
 */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
const NODE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** node-postgres and pg-pool report a lost server with these messages, without a code. */
const PG_LOST =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|the database system is (starting up|shutting down|in recovery)|terminating connection due to administrator command/i;

/** Whether an error means Postgres is unreachable or going away (as opposed to refusing a statement). */
export function isPostgresUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (PG_UNAVAILABLE.test(e.code) || NODE_NETWORK.has(e.code))) return true;
  if (typeof e.message === 'string' && PG_LOST.test(e.message)) return true;
  // TypeORM releases a query runner whose connection broke; the transaction's next query then says so.
  if (/^QueryRunner(Provider)?AlreadyReleasedError$/.test((err as Error).name)) return true;
  if (err instanceof AggregateError && err.errors.some((x) => isPostgresUnavailable(x, depth + 1))) return true;
  return isPostgresUnavailable(e.driverError ?? e.cause, depth + 1);
}

/**
 * The 503 every dependency failure becomes. `DEPENDENCY_UNAVAILABLE`: nothing was done, retry
 * later. `OUTCOME_UNKNOWN`: the call may have been recorded before the failure; retrying with the
 * same Idempotency-Key or decisionId is safe and applies it at most once.
 */
export function dependencyUnavailable(dependency: Dependency, outcomeUnknown: boolean, detail?: string) {
  const name = dependency === 'postgres' ? 'the database' : 'the workflow service';
  return new ServiceUnavailableException({
    code: outcomeUnknown ? 'OUTCOME_UNKNOWN' : 'DEPENDENCY_UNAVAILABLE',
    title: 'Service unavailable',
    detail:
      detail ??
      (outcomeUnknown
        ? `${name} failed while this call was being processed: it may have been recorded; retry with the same Idempotency-Key or decisionId`
        : `${name} is unavailable; nothing was done, retry later`),
    dependency,
  });
}
