import type { z } from 'zod';

export interface FieldError {
  field: string;
  reason: string;
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
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: fieldPath([...issue.path, key]), reason: 'is not a known field' }));
    return [{ field: fieldPath(issue.path) || '(body)', reason: issue.message }];
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
