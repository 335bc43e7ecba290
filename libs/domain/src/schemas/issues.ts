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
 * True when two JSON values are the same (object key order aside). A workflow validator accepts
 * a payload only in the canonical form its schema produces, which is what it will store.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}
