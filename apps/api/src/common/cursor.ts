import { UnprocessableEntityException } from '@nestjs/common';

/**
 * Keyset cursors: the sort key of the last row returned and its id, opaque to clients.
 * Timestamps travel as Postgres wrote them (microseconds), so no row is skipped or repeated.
 */
export const SQL_UTC_MICROS = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(at: string | null, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

/** Decodes a cursor this API issued; `at` may be null when the sort key is (NULLS LAST). */
export function decodeCursor(cursor: string, allowNullAt = false): { at: string | null; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    parsed = undefined;
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[1] === 'string' &&
    UUID.test(parsed[1]) &&
    ((typeof parsed[0] === 'string' && ISO_MICROS.test(parsed[0]) && !Number.isNaN(Date.parse(parsed[0]))) ||
      (allowNullAt && parsed[0] === null));
  if (!ok) {
    throw new UnprocessableEntityException({
      code: 'VALIDATION_FAILED',
      detail: 'cursor: not a cursor this API issued',
      errors: [{ field: 'cursor', reason: 'not a cursor this API issued' }],
    });
  }
  const [at, id] = parsed as [string | null, string];
  return { at, id };
}
