import { AssigneeFilter, Role, workingRole } from '@app/domain';
import { SQL_UTC_MICROS, decodeQueueCursor, encodeQueueCursor } from '../common/cursor';
import { ASSIGNEE_COLUMNS, SUMMARY_COLUMNS, SummaryPageQuery, assigneeCondition } from './list-requests.sql';

/** The filters of GET /requests/work-queue, as validated by the API. */
export interface WorkQueueFilters {
  overdue?: boolean;
  assignee?: AssigneeFilter;
  cursor?: string;
  limit?: number;
}

/** Which requests are in the caller's queue: its role's (its body's) open ones, and the filters. */
function queueConditions(
  p: { role: string; memberState?: string | null; userId?: string },
  q: Pick<WorkQueueFilters, 'overdue' | 'assignee'>,
): { where: string[]; args: unknown[] } {
  // A supervisor's queue is its body's: the stages its officers (managers) own.
  const args: unknown[] = [workingRole(p.role as Role)];
  const where = ['r.owner_role = $1', `r.stage <> 'closed'`];
  if (p.role === Role.MemberState) {
    args.push(p.memberState);
    where.push(`r.member_state = $${args.length}`);
  }
  if (q.overdue !== undefined) {
    args.push(q.overdue);
    where.push(`r.overdue = $${args.length}`);
  }
  if (q.assignee) {
    const { sql, arg } = assigneeCondition(p, q.assignee);
    if (arg !== undefined) args.push(arg);
    where.push(sql.replaceAll('?', `$${args.length}`));
  }
  return { where, args };
}

/**
 * The counts of the whole queue (not of one page), per stage with how many are overdue: one
 * aggregate over the same conditions as the pages.
 */
export function workQueueCountsSql(
  p: { role: string; memberState?: string | null; userId?: string },
  q: Pick<WorkQueueFilters, 'overdue' | 'assignee'>,
): { sql: string; args: unknown[] } {
  const { where, args } = queueConditions(p, q);
  return {
    sql: `SELECT r.stage, count(*)::int AS count, (count(*) FILTER (WHERE r.overdue))::int AS overdue
            FROM assistance_requests r WHERE ${where.join(' AND ')} GROUP BY r.stage`,
    args,
  };
}

/**
 * The one SQL statement behind a page of the caller's work queue: open requests whose current
 * stage its role owns (a supervisor's: its body's; a focal point: its own State's only), urgent
 * ones first, then the nearest deadline first (none last), keyset-paginated on
 * (urgent, next_deadline_at, id). Asks for limit + 1 rows: the extra one says whether there is a
 * next page.
 */
export function workQueueSql(
  p: { role: string; memberState?: string | null; userId?: string },
  q: WorkQueueFilters,
): SummaryPageQuery {
  const { where, args } = queueConditions(p, q);
  if (q.cursor) {
    const { urgent, at, id } = decodeQueueCursor(q.cursor);
    args.push(id);
    const idArg = `$${args.length}`;
    let after: string;
    if (at === null) {
      after = `(r.next_deadline_at IS NULL AND r.id > ${idArg}::uuid)`;
    } else {
      args.push(at);
      const atArg = `$${args.length}::timestamptz`;
      after = `(r.next_deadline_at > ${atArg} OR (r.next_deadline_at = ${atArg} AND r.id > ${idArg}::uuid) OR r.next_deadline_at IS NULL)`;
    }
    // Urgent rows come first: after an urgent row, the rest of the urgent ones, then every routine one.
    where.push(urgent ? `(NOT r.urgent OR ${after})` : `(NOT r.urgent AND ${after})`);
  }
  const limit = q.limit ?? 25;
  args.push(limit + 1);
  const sql = `SELECT ${SUMMARY_COLUMNS}, ${ASSIGNEE_COLUMNS}, ${SQL_UTC_MICROS('r.next_deadline_at')} AS cursor_at FROM assistance_requests r
        WHERE ${where.join(' AND ')} ORDER BY r.urgent DESC, r.next_deadline_at ASC NULLS LAST, r.id ASC LIMIT $${args.length}`;
  return {
    sql,
    args,
    limit,
    cursorOf: (row) => encodeQueueCursor(row.request.urgent === true, row.cursorAt, row.request.id),
  };
}
