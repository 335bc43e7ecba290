import type { StorageRefusal } from '@app/contracts';

/**
 * SQLSTATEs with which Postgres refuses a value itself: retrying the same write can never
 * succeed. Class 22 (data exceptions: NUL in text, a date out of range, a string too long),
 * not-null and check violations, and program limits (an index row too large).
 */
const FINAL = /^(22...|23502|23514|54000)$/;

interface PgError {
  code?: string;
  column?: string;
}

function pgError(err: unknown): PgError | undefined {
  const e = err as { driverError?: PgError; code?: string } | undefined;
  const inner = e?.driverError ?? e;
  return typeof inner?.code === 'string' ? inner : undefined;
}

/** A refusal no retry can cure, or undefined for anything else (outages, timeouts, bugs keep retrying). */
export function storageRefusal(err: unknown, payload?: unknown): StorageRefusal | undefined {
  const pg = pgError(err);
  if (!pg?.code || !FINAL.test(pg.code)) return undefined;
  const field = unstorablePath(payload) ?? (pg.column ? camel(pg.column) : undefined);
  return { sqlState: pg.code, ...(field ? { field } : {}) };
}

// NUL and lone surrogates: Postgres text and jsonb cannot hold them.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path (`questions[0]`, `activities[1].title`) of the first text Postgres cannot hold. */
export function unstorablePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = unstorablePath(v, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = UNSTORABLE.test(k) ? path || '(body)' : unstorablePath(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return undefined;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
