import { Stage, UUID_PATTERN } from '@app/domain';
import { SQL_UTC_MICROS, readCursor, signCursor } from '../common/cursor';

/**
 * The orders of GET /requests other than by submission time (newest/oldest keep their row-value
 * keyset on idx_requests_submitted, list-requests.sql.ts). Each is a list of keys, then the id
 * (ascending) as the tie-break, so every order is total and keyset paging neither skips nor
 * repeats a row.
 */
interface SortKey {
  /** SQL expression over `r` (assistance_requests). */
  expr: string;
  dir: 'ASC' | 'DESC';
  /** SQL type its cursor value is cast back to. */
  type: 'timestamptz' | 'text' | 'int';
  /** NULLs sort last (only ascending keys are nullable here). */
  nullable?: boolean;
}

/** The Stage enum is declared in lifecycle order. */
const STAGE_RANK = `array_position(ARRAY[${Object.values(Stage)
  .map((s) => `'${s}'`)
  .join(',')}]::text[], r.stage::text)`;

export const KEYSET_SORTS = {
  /** The nearest deadline first; requests without one (closed, or waiting on nobody) last. */
  deadline: [{ expr: 'r.next_deadline_at', dir: 'ASC', type: 'timestamptz', nullable: true }],
  reference: [{ expr: 'r.reference', dir: 'ASC', type: 'text' }],
  /** In lifecycle order (CTED review first, closed last), the newest first within a stage. */
  stage: [
    { expr: STAGE_RANK, dir: 'ASC', type: 'int' },
    { expr: 'r.submitted_at', dir: 'DESC', type: 'timestamptz' },
  ],
} satisfies Record<string, SortKey[]>;
export type KeysetSort = keyof typeof KEYSET_SORTS;

export const isKeysetSort = (sort: string | undefined): sort is KeysetSort =>
  sort !== undefined && Object.hasOwn(KEYSET_SORTS, sort);

const keyValueSql = (k: SortKey) => (k.type === 'timestamptz' ? SQL_UTC_MICROS(k.expr) : `${k.expr}`);

/** The SELECT column carrying a row's key values, to build the next page's cursor from. */
export function sortKeyColumn(sort: KeysetSort): string {
  const keys: SortKey[] = KEYSET_SORTS[sort];
  return `json_build_array(${keys.map(keyValueSql).join(', ')}) AS sort_key`;
}

export function orderBy(sort: KeysetSort): string {
  const keys: SortKey[] = KEYSET_SORTS[sort];
  return [...keys.map((k) => `${k.expr} ${k.dir}${k.nullable ? ' NULLS LAST' : ''}`), 'r.id ASC'].join(', ');
}

type KeyValue = string | number | null;

/** A cursor names its sort: one issued for another order is refused (422), not misread. */
export function encodeSortCursor(sort: KeysetSort, values: KeyValue[], id: string): string {
  return signCursor({ sort, values, id });
}

function decodeSortCursor(sort: KeysetSort, cursor: string): { values: KeyValue[]; id: string } {
  const keys: SortKey[] = KEYSET_SORTS[sort];
  return readCursor(cursor, (v): v is { sort: string; values: KeyValue[]; id: string } => {
    const c = v as { sort?: unknown; values?: unknown; id?: unknown } | null;
    return (
      !!c &&
      c.sort === sort &&
      typeof c.id === 'string' &&
      UUID_PATTERN.test(c.id) &&
      Array.isArray(c.values) &&
      c.values.length === keys.length &&
      c.values.every(
        (x, i) =>
          (x === null && keys[i].nullable) ||
          (keys[i].type === 'int' ? Number.isInteger(x) : typeof x === 'string' && x.length <= 100),
      )
    );
  });
}

/**
 * The keyset condition "after the cursor's row" in this order: lexicographic over the keys, then
 * the id. `push` binds a value and returns its placeholder.
 */
export function afterCursor(sort: KeysetSort, cursor: string, push: (value: unknown) => string): string {
  const keys: SortKey[] = KEYSET_SORTS[sort];
  const { values, id } = decodeSortCursor(sort, cursor);
  const equal: string[] = [];
  const alternatives: string[] = [];
  keys.forEach((k, i) => {
    const v = values[i];
    if (v === null) {
      // Among NULLs (sorted last) nothing comes after on this key: only the next keys decide.
      equal.push(`${k.expr} IS NULL`);
      return;
    }
    const p = `${push(v)}::${k.type}`;
    const after = `${k.expr} ${k.dir === 'ASC' ? '>' : '<'} ${p}`;
    alternatives.push([...equal, k.nullable ? `(${after} OR ${k.expr} IS NULL)` : after].join(' AND '));
    equal.push(`${k.expr} = ${p}`);
  });
  alternatives.push([...equal, `r.id > ${push(id)}::uuid`].join(' AND '));
  return `(${alternatives.map((a) => `(${a})`).join(' OR ')})`;
}
