import { Role } from '@app/domain';
import { SQL_UTC_MICROS, decodeCursor } from '../common/cursor';
import { SUMMARY_COLUMNS } from './list-requests.sql';

/** The filters of GET /requests/work-queue, as validated by the API. */
export interface WorkQueueFilters {
  overdue?: boolean;
  cursor?: string;
  limit?: number;
}

/**
 * The one SQL statement behind a page of the caller's work queue: open requests whose current
 * stage its role owns (a focal point: its own State's only), the nearest deadline first (none
 * last), keyset-paginated on (next_deadline_at, id). Asks for limit + 1 rows: the extra one says
 * whether there is a next page.
 */
export function workQueueSql(
  p: { role: string; memberState?: string | null },
  q: WorkQueueFilters,
): { sql: string; args: unknown[]; limit: number } {
  const args: unknown[] = [p.role];
  const where = ['r.owner_role = $1', `r.stage <> 'closed'`];
  if (p.role === Role.MemberState) {
    args.push(p.memberState);
    where.push(`r.member_state = $${args.length}`);
  }
  if (q.overdue !== undefined) {
    args.push(q.overdue);
    where.push(`r.overdue = $${args.length}`);
  }
  if (q.cursor) {
    const { at, id } = decodeCursor(q.cursor, true);
    args.push(id);
    const idArg = `$${args.length}`;
    if (at === null) {
      where.push(`(r.next_deadline_at IS NULL AND r.id > ${idArg}::uuid)`);
    } else {
      args.push(at);
      const atArg = `$${args.length}::timestamptz`;
      where.push(
        `(r.next_deadline_at > ${atArg} OR (r.next_deadline_at = ${atArg} AND r.id > ${idArg}::uuid) OR r.next_deadline_at IS NULL)`,
      );
    }
  }
  const limit = q.limit ?? 25;
  args.push(limit + 1);
  const sql = `SELECT ${SUMMARY_COLUMNS}, ${SQL_UTC_MICROS('r.next_deadline_at')} AS cursor_at FROM assistance_requests r
        WHERE ${where.join(' AND ')} ORDER BY r.next_deadline_at ASC NULLS LAST, r.id ASC LIMIT $${args.length}`;
  return { sql, args, limit };
}
