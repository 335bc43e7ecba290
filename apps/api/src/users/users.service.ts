import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Role } from '@app/domain';
import type { Principal } from '../auth/access.decorators';
import { hashPassword } from '../auth/auth.service';
import { apiError, notFound } from '../common/api-error';
import { SQL_UTC_MICROS, decodeCursor, encodeCursor } from '../common/cursor';
import { ChangeRoleDto, CreateUserDto, ListUsersQuery, UserDto, UserPageDto } from './users.dto';

const COLUMNS = `id, email, display_name, role, member_state, active, created_at, ${SQL_UTC_MICROS('created_at')} AS cursor_at`;

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: string;
  member_state: string | null;
  active: boolean;
  created_at: Date;
  cursor_at: string;
}

/** Whitelisting mapper: the password hash never leaves the database layer. */
function toUser(r: UserRow): UserDto {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    memberState: r.member_state?.trim() ?? null,
    active: r.active,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async list(q: ListUsersQuery): Promise<UserPageDto> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      args.push(value);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (q.role) add('role = ?', q.role);
    if (q.memberState) add('member_state = ?', q.memberState);
    if (q.active !== undefined) add('active = ?', q.active);
    if (q.cursor) {
      const { at, id } = decodeCursor(q.cursor);
      args.push(at, id);
      where.push(`(created_at, id) > ($${args.length - 1}::timestamptz, $${args.length}::uuid)`);
    }
    const limit = q.limit ?? 50;
    args.push(limit + 1);
    const rows: UserRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM users WHERE ${where.length ? where.join(' AND ') : 'TRUE'} ORDER BY created_at, id LIMIT $${args.length}`,
      args,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toUser),
      nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null,
    };
  }

  private async knownState(dto: { role: Role; memberState?: string | null }): Promise<string | null> {
    const memberState = dto.role === Role.MemberState ? dto.memberState! : null;
    if (memberState) {
      const [known] = await this.ds.query('SELECT 1 FROM member_states WHERE iso3 = $1', [memberState]);
      if (!known) {
        throw apiError('UNKNOWN_MEMBER_STATE', `memberState: ${memberState} is not a UN Member State`, [
          { field: 'memberState', reason: 'not a UN Member State' },
        ]);
      }
    }
    return memberState;
  }

  async create(dto: CreateUserDto): Promise<UserDto> {
    const memberState = await this.knownState(dto);
    const hash = await hashPassword(dto.password);
    const [row]: UserRow[] = await this.ds.query(
      `INSERT INTO users (email, display_name, password_hash, role, member_state, active) VALUES ($1, $2, $3, $4, $5, true)
       ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
      [dto.email.toLowerCase(), dto.displayName, hash, dto.role, memberState],
    );
    if (!row) {
      throw apiError('EMAIL_TAKEN', 'a user with this e-mail address already exists', [
        { field: 'email', reason: 'already taken' },
      ]);
    }
    return toUser(row);
  }

  /** Takes effect on the user's next call: the access guard reads role and State from the database. */
  async changeRole(admin: Principal, id: string, dto: ChangeRoleDto): Promise<UserDto> {
    if (id.toLowerCase() === admin.userId.toLowerCase() && dto.role !== Role.Admin) {
      throw apiError('CANNOT_DEMOTE_SELF', 'an administrator cannot remove their own administrator role', [
        { field: 'role', reason: 'you cannot remove your own administrator role' },
      ]);
    }
    const memberState = await this.knownState(dto);
    const [rows]: [UserRow[], number] = await this.ds.query(
      `UPDATE users SET role = $2, member_state = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, dto.role, memberState],
    );
    if (!rows?.length) throw notFound('id', 'user', `user ${id} not found`);
    return toUser(rows[0]);
  }

  /** Idempotent; the account can no longer obtain tokens, and tokens already issued stop working. */
  async deactivate(admin: Principal, id: string): Promise<UserDto> {
    if (id.toLowerCase() === admin.userId.toLowerCase()) {
      throw apiError('CANNOT_DEACTIVATE_SELF', 'an administrator cannot deactivate their own account');
    }
    const [rows]: [UserRow[], number] = await this.ds.query(
      `UPDATE users SET active = false WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    if (!rows?.length) throw notFound('id', 'user', `user ${id} not found`);
    await this.ds.query(
      `UPDATE user_sessions SET revoked_at = now(), revoked_reason = 'deactivated' WHERE user_id = $1 AND revoked_at IS NULL`,
      [id],
    );
    return toUser(rows[0]);
  }
}
