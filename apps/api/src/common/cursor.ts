import { createHmac, timingSafeEqual } from 'crypto';
import { loadConfig } from '@app/common';
import { UUID_PATTERN } from '@app/domain';
import { apiError } from './api-error';

/**
 * Keyset cursors: the sort key of the last row returned and its id, opaque to clients and signed,
 * so a cursor the API did not issue is refused (422) before any of it reaches SQL. Timestamps
 * travel as Postgres wrote them (microseconds), so no row is skipped or repeated.
 */
export { SQL_UTC_MICROS } from '@app/persistence';

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

let key: string | undefined;
/** Signed with the token secret, so every API process accepts the cursors of the others. */
function sign(data: string): Buffer {
  key ??= loadConfig().jwt.secret;
  return createHmac('sha256', key).update(`cursor:${data}`).digest().subarray(0, 16);
}

/** Any keyset position (a small JSON value) as a signed, opaque cursor. */
export function signCursor(value: unknown): string {
  const data = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${data}.${sign(data).toString('base64url')}`;
}

/**
 * The value of a cursor this API signed, if `valid` accepts its shape; anything else is 422
 * INVALID_CURSOR naming `field` (the query parameter that carried it).
 */
export function readCursor<T>(cursor: string, valid: (value: unknown) => value is T, field = 'cursor'): T {
  const [data, mac, ...rest] = cursor.split('.');
  let parsed: unknown;
  try {
    const given = Buffer.from(mac ?? '', 'base64url');
    const expected = sign(data);
    if (rest.length === 0 && given.length === expected.length && timingSafeEqual(given, expected))
      parsed = JSON.parse(Buffer.from(data, 'base64url').toString());
  } catch {
    parsed = undefined;
  }
  if (!valid(parsed))
    throw apiError('INVALID_CURSOR', `${field}: not a cursor this API issued`, [
      { field, reason: 'not a cursor this API issued' },
    ]);
  return parsed;
}

export function encodeCursor(at: string | null, id: string): string {
  return signCursor([at, id]);
}

/** Decodes a cursor this API issued; `at` may be null when the sort key is (NULLS LAST). */
export function decodeCursor(cursor: string, allowNullAt = false): { at: string | null; id: string } {
  const { at, id } = decodeKeyset(cursor, allowNullAt, false);
  return { at, id };
}

/** Work queues sort urgent requests first: their cursor carries the urgency of the last row too. */
export function encodeQueueCursor(urgent: boolean, at: string | null, id: string): string {
  return signCursor(urgent ? [at, id, true] : [at, id]);
}

/** A work-queue cursor (a cursor without the urgency, as issued before it existed, is a routine row's). */
export function decodeQueueCursor(cursor: string): { urgent: boolean; at: string | null; id: string } {
  return decodeKeyset(cursor, true, true);
}

function decodeKeyset(
  cursor: string,
  allowNullAt: boolean,
  allowUrgent: boolean,
): { urgent: boolean; at: string | null; id: string } {
  const [at, id, urgent] = readCursor(
    cursor,
    (parsed): parsed is [string | null, string, true?] =>
      Array.isArray(parsed) &&
      (parsed.length === 2 || (allowUrgent && parsed.length === 3 && parsed[2] === true)) &&
      typeof parsed[1] === 'string' &&
      UUID_PATTERN.test(parsed[1]) &&
      ((typeof parsed[0] === 'string' && ISO_MICROS.test(parsed[0]) && !Number.isNaN(Date.parse(parsed[0]))) ||
        (allowNullAt && parsed[0] === null)),
  );
  return { urgent: urgent === true, at, id };
}
