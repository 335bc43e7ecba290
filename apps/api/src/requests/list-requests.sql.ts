import { AssigneeFilter, ListRequestsQuery, Role } from '@app/domain';
import type { RequestSummaryRow } from '@app/persistence';
import { apiError } from '../common/api-error';
import { SQL_UTC_MICROS, decodeCursor, encodeCursor } from '../common/cursor';
import { afterCursor, encodeSortCursor, isKeysetSort, orderBy, sortKeyColumn } from './list-requests-sort';

/** The filters of GET /requests, as validated by the API (libs/domain/src/schemas/queries.ts). */
export type ListFilters = Partial<ListRequestsQuery>;

/**
 * What a summary shows (toSummary): lists read these and never `state`, the ~2 KB workflow state
 * that would otherwise be read, detoasted, sent and parsed for every row of every page.
 */
export const SUMMARY_COLUMNS = [
  'id',
  'reference',
  'title',
  'member_state',
  'region',
  'thematic_areas',
  'origin',
  'stage',
  'outcome',
  'owner_role',
  'overdue',
  'urgent',
  'next_deadline_at',
  'next_deadline_kind',
  'submitted_at',
  'linked_from',
]
  .map((c) => `r.${c}`)
  .join(', ');

/** SQL select-list items giving `assignee_id` and `assignee_name` for a request row aliased `r`. */
export const ASSIGNEE_COLUMNS =
  'r.assignee_id, (SELECT u.display_name FROM users u WHERE u.id = r.assignee_id) AS assignee_name';

/** A page's statement, and how the cursor of its last row is built (RequestRepository.summaries reads the rows). */
export interface SummaryPageQuery {
  sql: string;
  args: unknown[];
  limit: number;
  cursorOf: (row: RequestSummaryRow) => string;
}

/**
 * The `assignee=` filter as one condition (`?` stands for its one parameter, if any): `me`, a user's
 * id, or `unassigned` (open requests nobody of the working body holds). Focal points never see
 * assignment, so they may not filter by it.
 */
export function assigneeCondition(
  p: { role: string; userId?: string },
  filter: AssigneeFilter,
): { sql: string; arg?: unknown } {
  if (p.role === Role.MemberState) {
    const reason = 'assignment is not shown to focal points';
    throw apiError('VALIDATION_FAILED', `assignee: ${reason}`, [{ field: 'assignee', reason }]);
  }
  if (filter === 'unassigned') return { sql: `r.assignee_id IS NULL AND r.stage <> 'closed'` };
  return { sql: 'r.assignee_id = ?::uuid', arg: filter === 'me' ? p.userId : filter };
}

/**
 * The one SQL statement behind a page of GET /requests (newest or oldest first, keyset-paginated on
 * (submitted_at, id); the other orders: list-requests-sort.ts); a pure function so the benchmark runs exactly this SQL over raw pg.
 * Asks for limit + 1 rows: the extra one says whether there is a next page.
 */
export function listRequestsSql(
  p: { role: string; memberState?: string | null; userId?: string },
  q: ListFilters,
): SummaryPageQuery {
  const where: string[] = [];
  const args: unknown[] = [];
  // Every `?` of one condition stands for the same (one) parameter.
  const add = (sql: string, value: unknown) => {
    args.push(value);
    where.push(sql.replaceAll('?', `$${args.length}`));
  };
  if (p.role === Role.MemberState) add('r.member_state = ?', p.memberState);
  if (q.memberState) add('r.member_state = ?', q.memberState);
  if (q.stage) add('r.stage = ?', q.stage);
  if (q.region) add('r.region = ?', q.region);
  if (q.thematicArea) add('? = ANY(r.thematic_areas)', q.thematicArea);
  if (q.overdue !== undefined) add('r.overdue = ?', q.overdue);
  if (q.owner) add('r.owner_role = ?', q.owner);
  if (q.origin) add('r.origin = ?', q.origin);
  if (q.assignee) {
    const { sql, arg } = assigneeCondition(p, q.assignee);
    if (arg === undefined) where.push(sql);
    else add(sql, arg);
  }
  if (q.submittedFrom) add('r.submitted_at >= ?', q.submittedFrom);
  if (q.submittedTo) add('r.submitted_at < ?::date + 1', q.submittedTo);
  if (q.modality)
    add(
      `r.state -> 'needs' @> jsonb_build_array(jsonb_build_object('modalities', jsonb_build_array(?::text)))`,
      q.modality,
    );
  // Served by the trigram indexes idx_requests_title_trgm / idx_requests_reference_trgm (3+ characters).
  if (q.q) add('(r.title ILIKE ? OR r.reference ILIKE ?)', `%${q.q.replace(/[%_\\]/g, '\\$&')}%`);
  const limit = q.limit ?? 25;
  const sort = q.sort;
  if (isKeysetSort(sort)) {
    // The other orders (deadline, reference, stage): list-requests-sort.ts.
    if (q.cursor)
      where.push(
        afterCursor(sort, q.cursor, (v) => {
          args.push(v);
          return `$${args.length}`;
        }),
      );
    args.push(limit + 1);
    const sql = `SELECT ${SUMMARY_COLUMNS}, ${ASSIGNEE_COLUMNS}, ${sortKeyColumn(sort)} FROM assistance_requests r
        WHERE ${where.length ? where.join(' AND ') : 'TRUE'} ORDER BY ${orderBy(sort)} LIMIT $${args.length}`;
    return {
      sql,
      args,
      limit,
      cursorOf: (row) => encodeSortCursor(sort, row.sortKey ?? [], row.request.id),
    };
  }
  const oldest = sort === 'oldest';
  // The page's range of the submission order (a range of idx_requests_submitted).
  let after: string | undefined;
  if (q.cursor) {
    const { at, id } = decodeCursor(q.cursor);
    args.push(at, id);
    after = `(r.submitted_at, r.id) ${oldest ? '>' : '<'} ($${args.length - 1}::timestamptz, $${args.length}::uuid)`;
    where.push(after);
  }
  const dir = oldest ? 'ASC' : 'DESC';
  args.push(limit + 1);
  const page = {
    select: `${SUMMARY_COLUMNS}, ${ASSIGNEE_COLUMNS}, ${SQL_UTC_MICROS('r.submitted_at')} AS cursor_at`,
    order: `r.submitted_at ${dir}, r.id ${dir}`,
    // The same order over the select list's columns (cursor_at is fixed-width UTC text).
    outerOrder: `cursor_at COLLATE "C" ${dir}, id ${dir}`,
    limit: `$${args.length}`,
  };
  const sql = q.q
    ? searchPageSql(
        page,
        after,
        where.filter((w) => w !== after),
      )
    : `SELECT ${page.select} FROM assistance_requests r
        WHERE ${where.length ? where.join(' AND ') : 'TRUE'} ORDER BY ${page.order} LIMIT ${page.limit}`;
  return { sql, args, limit, cursorOf: (row) => encodeCursor(row.cursorAt, row.request.id) };
}

/**
 * Rows of the submission order read before a search page falls back to the trigram indexes (see
 * searchPageSql): 2,000 entries of idx_requests_submitted and their rows, ~2-5 ms at 100k requests.
 */
export const SEARCH_HEAD_ROWS = 2000;

/**
 * A newest/oldest page with `q=`, whatever the matches' number and place. Postgres picks one plan
 * from its estimate of the matches, and both of its plans have a case an order of magnitude slow:
 * walking idx_requests_submitted and filtering stops after the page's rows when matches are common
 * and spread out (`terrorism`: 0.3 ms; the trigram indexes' bitmap: 270 ms), but reads on when they
 * are rare or bunched in time (a reference fragment or a year, `2021`: 354 ms over 33k rows, while
 * the bitmap takes 7-80 ms). So the statement does both, in order: `head` reads the next
 * SEARCH_HEAD_ROWS rows of the order after the cursor (a bounded index range: every filter but the
 * cursor is applied to those rows, so a rare filter cannot make it read on) and takes the page from
 * them; the page is exact when it fills there, since any other match comes after those rows. Only
 * if it does not fill, `matched` reads the ids and submission times of every row matching all the
 * conditions (MATERIALIZED: by the trigram indexes or a scan, never by walking the submission
 * index), sorts them and reads the page's rows by id. A CTE that no executed branch reads is never
 * run. `after` is the cursor's condition (none on a first page); `conditions` are all the others,
 * the text search included.
 */
function searchPageSql(
  page: { select: string; order: string; outerOrder: string; limit: string },
  after: string | undefined,
  conditions: string[],
) {
  const all = [...conditions, ...(after ? [after] : [])].join(' AND ');
  return `WITH head AS MATERIALIZED (
  SELECT ${page.select}
    FROM (SELECT ${SUMMARY_COLUMNS}, r.assignee_id, r.state
            FROM assistance_requests r WHERE ${after ?? 'TRUE'} ORDER BY ${page.order} LIMIT ${SEARCH_HEAD_ROWS}) r
   WHERE ${conditions.join(' AND ')} ORDER BY ${page.order} LIMIT ${page.limit}
),
matched AS MATERIALIZED (SELECT r.id, r.submitted_at FROM assistance_requests r WHERE ${all})
SELECT * FROM (
  SELECT * FROM head WHERE (SELECT count(*) FROM head) = ${page.limit}
  UNION ALL
  SELECT ${page.select} FROM assistance_requests r
   WHERE r.id IN (SELECT r.id FROM matched r WHERE (SELECT count(*) FROM head) < ${page.limit} ORDER BY ${page.order} LIMIT ${page.limit})
) p ORDER BY ${page.outerOrder}`;
}
