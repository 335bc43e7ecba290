import type { z } from 'zod';

/**
 * Stable, machine-readable kinds of field problem: a client shows its own words for a `rule`
 * (with `params`) and falls back to the English `reason`. Documented in docs/API.md (Errors).
 */
export const FIELD_RULES = [
  'required',
  'wrong_type',
  'not_integer',
  'too_short',
  'too_long',
  'too_small',
  'too_large',
  'too_few',
  'too_many',
  'blank',
  'control_characters',
  'bidi_controls',
  'lone_surrogate',
  'invalid_format',
  'not_a_date',
  'not_before',
  'in_future',
  'not_one_of',
  'duplicate',
  'unknown_field',
  'invalid_key',
  'at_least_one',
  'not_allowed',
  'not_found',
  'conflict',
  'invalid',
] as const;
export type FieldRule = (typeof FIELD_RULES)[number];
export type FieldErrorParams = Record<string, string | number>;

export interface FieldError {
  field: string;
  /** English, for people reading the raw response. */
  reason: string;
  /** What kind of problem (absent: `invalid`). */
  rule?: FieldRule;
  /** The values the rule was checked against, e.g. `{ max: 200 }`. */
  params?: FieldErrorParams;
}

/** Custom issues carry their rule in `params` (`{ rule: 'duplicate', first: 0 }`). */
export function customIssueParams(rule: FieldRule, params: FieldErrorParams = {}) {
  return { rule, ...params };
}

const isRule = (v: unknown): v is FieldRule => typeof v === 'string' && (FIELD_RULES as readonly string[]).includes(v);

function scalar(v: unknown): string | number | undefined {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return undefined;
}

/**
 * zod drops an issue's input from its final error, so a missing field is known by the message
 * that primitives.ts configures for it (z.config customError).
 */
const MISSING = 'required';

/** The rule and params of one zod issue (zod's issue codes, and the rule custom issues carry). */
export function issueRule(issue: z.core.$ZodIssue): { rule: FieldRule; params?: FieldErrorParams } {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.message === MISSING) return { rule: 'required' };
      if (issue.expected === 'int') return { rule: 'not_integer' };
      return { rule: 'wrong_type', params: { expected: issue.expected } };
    case 'invalid_value':
    case 'invalid_union':
      if (issue.message === MISSING) return { rule: 'required' };
      if (issue.code === 'invalid_value') return { rule: 'not_one_of', params: { values: issue.values.join(', ') } };
      return { rule: 'invalid' };
    case 'too_big': {
      const max = scalar(issue.maximum)!;
      if (issue.origin === 'string') return { rule: 'too_long', params: { max } };
      if (issue.origin === 'array' || issue.origin === 'set') return { rule: 'too_many', params: { max } };
      return { rule: 'too_large', params: { max } };
    }
    case 'too_small': {
      const min = scalar(issue.minimum)!;
      if (issue.origin === 'string') return { rule: 'too_short', params: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return { rule: 'too_few', params: { min } };
      return { rule: 'too_small', params: { min } };
    }
    case 'invalid_format':
      return { rule: 'invalid_format', params: { format: issue.format } };
    case 'not_multiple_of':
      return { rule: 'invalid', params: { divisor: scalar(issue.divisor)! } };
    case 'unrecognized_keys':
      return { rule: 'unknown_field' };
    case 'invalid_key':
      return { rule: 'invalid_key' };
    case 'custom': {
      const { rule, ...rest } = (issue.params ?? {}) as Record<string, unknown>;
      const params: FieldErrorParams = {};
      for (const [k, v] of Object.entries(rest)) {
        const s = scalar(v);
        if (s !== undefined) params[k] = s;
      }
      return isRule(rule) ? { rule, ...(Object.keys(params).length ? { params } : {}) } : { rule: 'invalid' };
    }
    case 'invalid_element':
    default:
      return { rule: 'invalid' };
  }
}

/** `activities[0].endDate` from ['activities', 0, 'endDate']. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** One entry per problem, naming the field (an unknown key names itself). */
export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key]),
        reason: 'is not a known field',
        rule: 'unknown_field' as const,
      }));
    return [{ field: fieldPath(issue.path) || '(body)', reason: issue.message, ...issueRule(issue) }];
  });
}

/**
 * Where two JSON values first differ (object key order aside): the path, or null when they are
 * the same. A workflow validator accepts a payload only in the canonical form its schema
 * produces, which is what will be stored.
 */
export function firstDifference(a: unknown, b: unknown, path: PropertyKey[] = []): PropertyKey[] | null {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set(
    [...Object.keys(ra), ...Object.keys(rb)].filter((k) => ra[k] !== undefined || rb[k] !== undefined),
  );
  for (const k of keys) {
    const key = Array.isArray(a) ? Number(k) : k;
    const diff = firstDifference(ra[k], rb[k], [...path, key]);
    if (diff) return diff;
  }
  return null;
}
