import { z } from 'zod';
import { customIssueParams, type FieldErrorParams, type FieldRule } from './issues';

/**
 * The one definition of a valid value. Every payload schema is built from these primitives, and
 * the HTTP layer, the OpenAPI document and the workflows' Update validators all use those
 * schemas, so whatever is accepted anywhere can be stored by Postgres (varchar lengths, jsonb,
 * dates) and by Temporal (search attributes).
 */

// A missing field says "required", whatever type it should have had.
z.config({
  customError: (issue) =>
    (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union') &&
    issue.input === undefined
      ? 'required'
      : undefined,
});

/**
 * Refused everywhere: control characters other than tab, newline and carriage return (CR is folded
 * into newline), and the bidirectional embedding, override and isolate controls U+202A–U+202E and
 * U+2066–U+2069, which can make text display in another order than it is stored ("Trojan Source",
 * CVE-2021-42574). The marks U+200E/U+200F (LRM/RLM) and the joiners stay allowed: Arabic and
 * Persian text and emoji need them.
 */
const BIDI_CONTROL = '\\u202A-\\u202E\\u2066-\\u2069';
const CONTROL = `\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F${BIDI_CONTROL}`;
/**
 * Characters that show nothing: white space, and the invisible format characters (zero-width
 * space, joiners, marks, word joiner, BOM, soft hyphen). A required text needs one character outside
 * this set, so ten zero-width spaces are as blank as ten spaces.
 */
const INVISIBLE = '\\s\\u00AD\\u180E\\u200B-\\u200F\\u2060-\\u2064\\uFEFF';
const VISIBLE_RE = new RegExp(`[^${INVISIBLE}]`);
const CONTROL_RE = new RegExp(`[${CONTROL}]`);
const BIDI_CONTROL_RE = new RegExp(`[${BIDI_CONTROL}]`);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** What the OpenAPI document says a text is: no control character, at least one non-blank one. */
const TEXT_PATTERN = `^[^${CONTROL}]*[^${INVISIBLE}${CONTROL}][^${CONTROL}]*$`;
const TEXT_PATTERN_BLANK_OK = `^[^${CONTROL}]*$`;

/** The canonical form of user text: newlines as LF, Unicode NFC, no surrounding white space. */
export function normaliseText(value: string): string {
  return value.replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

/** Length as Postgres counts it (code points), not UTF-16 units. */
export function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n += 1;
  return n;
}

/**
 * Why `value` (already normalised) is not a storable text of min..max code points, or null: the
 * English message, and its rule and params for the API's machine-readable field errors.
 */
export function textIssue(
  value: string,
  min: number,
  max: number,
): { message: string; rule: FieldRule; params?: FieldErrorParams } | null {
  if (LONE_SURROGATE.test(value))
    return { rule: 'lone_surrogate', message: 'must be valid Unicode text (a lone surrogate was found)' };
  if (BIDI_CONTROL_RE.test(value))
    return {
      rule: 'bidi_controls',
      message:
        'must not contain bidirectional embedding, override or isolate characters (U+202A-U+202E, U+2066-U+2069)',
    };
  if (CONTROL_RE.test(value))
    return { rule: 'control_characters', message: 'must not contain control characters (tab and newline are allowed)' };
  const n = codePoints(value);
  if (min > 0 && !VISIBLE_RE.test(value)) return { rule: 'blank', message: 'must not be blank' };
  if (n < min || n > max)
    return {
      rule: n > max ? 'too_long' : 'too_short',
      params: { min, max },
      message: `must be ${min} to ${max} characters`,
    };
  return null;
}

/**
 * User text: normalised (see normaliseText), then 1..max code points (min..max if given), no
 * control characters but tab and newline, no lone surrogates.
 */
export function text(max: number, min = 1) {
  return z
    .string()
    .overwrite(normaliseText)
    .superRefine((value, ctx) => {
      const problem = textIssue(value, min, max);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: problem.message,
          params: customIssueParams(problem.rule, problem.params),
        });
    })
    .meta({ minLength: min, maxLength: max, pattern: min > 0 ? TEXT_PATTERN : TEXT_PATTERN_BLANK_OK });
}

/** A machine identifier matching `pattern` exactly (no normalisation: it names something). */
export function identifier(pattern: RegExp, reason: string, example?: string) {
  return z
    .string()
    .regex(pattern, reason)
    .meta(example ? { example } : {});
}

export const ISO3_PATTERN = /^[A-Z]{3}$/;
/** ISO 3166 alpha-3 code, compared in capitals: `ken` is `KEN`. */
export const iso3 = z
  .string()
  .overwrite((s) => s.trim().toUpperCase())
  .regex(ISO3_PATTERN, 'must be an ISO 3166 alpha-3 code such as KEN')
  .meta({ example: 'KEN', pattern: '^[A-Za-z]{3}$' });

/** An e-mail address, compared trimmed and in lower case. */
export const email = z
  .string()
  .overwrite((s) => s.trim().toLowerCase())
  .max(254, 'must be at most 254 characters')
  .regex(z.regexes.email, 'must be an e-mail address')
  .meta({ format: 'email', maxLength: 254, example: 'focal.uga@ctap.local' });

/** The dates the system accepts (and Postgres stores): state them in docs/API.md. */
export const DATE_RANGE = { min: '1945-01-01', max: '2100-12-31' } as const;
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a calendar date YYYY-MM-DD that exists (no 2026-02-30) within DATE_RANGE. */
export function isCalendarDate(value: string): boolean {
  if (!DATE_SHAPE.test(value) || value < DATE_RANGE.min || value > DATE_RANGE.max) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A calendar date YYYY-MM-DD (no times, weeks or ordinal dates) within DATE_RANGE. */
export const isoDate = z
  .string()
  .refine(isCalendarDate, {
    message: `must be a date YYYY-MM-DD between ${DATE_RANGE.min} and ${DATE_RANGE.max}`,
    params: customIssueParams('not_a_date', DATE_RANGE),
  })
  .meta({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', example: '2027-03-01' });

/** A whole, non-negative number of people or dollars, at most `max`. */
export function count(max: number, min = 0) {
  return z.int().min(min).max(max);
}

/** Ceiling of one amount in US dollars (fits Postgres bigint and a JS safe integer with room). */
export const MAX_USD = 10_000_000_000;
/** Ceiling of one count of people. */
export const MAX_PEOPLE = 1_000_000;

/** Client-chosen decision id (before the API scopes it to the user): stored in a varchar(200). */
export const DECISION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,120}$/;
/** The Idempotency-Key header. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,120}$/;
export const decisionId = identifier(
  DECISION_ID_PATTERN,
  'must be 1 to 120 letters, digits or ._:-',
  '7d0c6a52-2b7e-4c61-9a8e-1d2f3e4a5b6c',
);

/** A request reference as issued (CTAP-2026-000001, follow-ups CTAP-2026-000001-F1). */
export const REFERENCE_PATTERN = /^[A-Za-z0-9-]{1,40}$/;
/**
 * A delivery activity's key in its plan: used in URLs and stored in a varchar(80). It starts with a
 * letter or digit: browsers, fetch and curl resolve the path segments `.` and `..` (even written
 * `%2E`) before sending, so such a key could never be reached to report or cancel its activity.
 */
export const ACTIVITY_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One of `values`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values);
}

/**
 * A map with keys checked by `key`. zod skips an own `__proto__` key of a record without a word
 * (to protect the object it builds), which would drop what the user sent: here it is refused,
 * naming it, like any other invalid key. (Objects are strict: there `__proto__` is an unknown key.)
 */
export function record<K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V, partial = false) {
  const map = partial ? z.partialRecord(key, value) : z.record(key, value);
  return z.preprocess((input, ctx) => {
    if (input !== null && typeof input === 'object' && Object.prototype.hasOwnProperty.call(input, '__proto__'))
      ctx.addIssue({
        code: 'custom',
        message: 'invalid key',
        path: ['__proto__'],
        input,
        params: customIssueParams('invalid_key'),
      });
    return input;
  }, map);
}

/**
 * Refuses an array in which two items have the same `identity` (e.g. the same need written twice),
 * naming the later one: `needs[2]: duplicates needs[0]`.
 */
export function distinct<T>(identity: (item: T) => string, what = 'item') {
  return (items: T[], ctx: z.core.$RefinementCtx<T[]>) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const id = identity(item);
      const first = seen.get(id);
      if (first === undefined) seen.set(id, i);
      else
        ctx.addIssue({
          code: 'custom',
          message: `repeats ${what} ${first}`,
          path: [i],
          input: item,
          params: customIssueParams('duplicate', { first }),
        });
    });
  };
}
