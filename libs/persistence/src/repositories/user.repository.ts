import type { DataSource } from 'typeorm';
import { UserEntity } from '../entities/user.entity';
import { PrincipalCache, principalCacheOf } from './principal-cache';
import { SQL_UTC_MICROS, updateReturning } from './sql';

/** A user as administration lists it: never the password hash. */
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: string;
  member_state: string | null;
  active: boolean;
  created_at: Date;
  /** created_at as text at microsecond precision, for keyset cursors. */
  cursor_at: string;
}

/** The signed-in user's own profile. */
export interface MeRow {
  id: string;
  email: string;
  display_name: string;
  role: string;
  member_state: string | null;
  preferred_language: string | null;
  active: boolean;
}

/** What the access guard reads on every call: role, State and activity come from here, not from the token. */
export interface PrincipalRow {
  email: string;
  role: string;
  member_state: string | null;
  active: boolean;
  /** The token names a session that is revoked or not this user's. */
  session_ended: boolean;
}

/** The user holding a request, as a request's page names it. */
export interface AssigneeRow {
  assignee_id: string;
  assignee_name: string;
}

/** An active user a request may be assigned to. */
export interface AssignableUserRow {
  id: string;
  displayName: string;
  role: string;
}

export interface UserFilters {
  role?: string;
  memberState?: string;
  active?: boolean;
  /** Keyset position: the page starts after (created_at, id). */
  after?: { at: string | null; id: string };
  limit: number;
}

const COLUMNS = `id, email, display_name, role, member_state, active, created_at, ${SQL_UTC_MICROS('created_at')} AS cursor_at`;
const ME_COLUMNS = 'id, email, display_name, role, member_state, preferred_language, active';

export const USER_SQL = {
  principal: `SELECT u.email, u.role, u.member_state, u.active,
                     ($2::uuid IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM user_sessions s WHERE s.id = $2::uuid AND s.user_id = u.id AND s.revoked_at IS NULL
                     )) AS session_ended
                FROM users u WHERE u.id = $1`,
  me: `SELECT ${ME_COLUMNS} FROM users WHERE id = $1`,
  setLanguage: 'UPDATE users SET preferred_language = $2 WHERE id = $1',
  create: `INSERT INTO users (email, display_name, password_hash, role, member_state, active) VALUES ($1, $2, $3, $4, $5, true)
           ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
  changeRole: `UPDATE users SET role = $2, member_state = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
  deactivate: `UPDATE users SET active = false WHERE id = $1 RETURNING ${COLUMNS}`,
  revokeSessions: `UPDATE user_sessions SET revoked_at = now(), revoked_reason = 'deactivated' WHERE user_id = $1 AND revoked_at IS NULL`,
  memberStateExists: 'SELECT 1 FROM member_states WHERE iso3 = $1',
  assignee: 'SELECT id::text AS assignee_id, display_name AS assignee_name FROM users WHERE id = $1',
  submitter: 'SELECT display_name AS "displayName", role FROM users WHERE id = $1',
  activeRole: 'SELECT id::text AS id, role FROM users WHERE id = $1 AND active',
  assignable: `SELECT id::text AS id, display_name AS "displayName", role FROM users
                WHERE active AND role = ANY($1::text[]) ORDER BY display_name, id`,
} as const;

/** Users: accounts, their profile, and what the access guard checks on each call. */
export class UserRepository {
  private readonly principals: PrincipalCache<PrincipalRow>;

  constructor(private readonly ds: DataSource) {
    this.principals = principalCacheOf(ds);
  }

  /** Oldest first, keyset-paginated on (created_at, id); asks for limit + 1 rows (the extra one says "more"). */
  list(f: UserFilters): Promise<UserRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      args.push(value);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (f.role) add('role = ?', f.role);
    if (f.memberState) add('member_state = ?', f.memberState);
    if (f.active !== undefined) add('active = ?', f.active);
    if (f.after) {
      args.push(f.after.at, f.after.id);
      where.push(`(created_at, id) > ($${args.length - 1}::timestamptz, $${args.length}::uuid)`);
    }
    args.push(f.limit + 1);
    return this.ds.query(
      `SELECT ${COLUMNS} FROM users WHERE ${where.length ? where.join(' AND ') : 'TRUE'} ORDER BY created_at, id LIMIT $${args.length}`,
      args,
    );
  }

  /** The user with this e-mail address (any case), hash included: for the password check only. */
  withEmail(email: string): Promise<UserEntity | null> {
    return this.ds.getRepository(UserEntity).findOne({ where: { email: email.toLowerCase() } });
  }

  /**
   * Role, State, activity and whether the session is still open: read at most PRINCIPAL_TTL_MS ago
   * (only an active user with an open session is kept; the writes below forget what they change).
   */
  principal(userId: string, sessionId: string | null): Promise<PrincipalRow | undefined> {
    return this.principals.get(
      userId,
      sessionId,
      async () => (await this.ds.query(USER_SQL.principal, [userId, sessionId]))[0],
      (row) => row.active && !row.session_ended,
    );
  }

  async me(userId: string): Promise<MeRow | undefined> {
    const [row] = await this.ds.query(USER_SQL.me, [userId]);
    return row;
  }

  async setPreferredLanguage(userId: string, language: string | null): Promise<void> {
    await this.ds.query(USER_SQL.setLanguage, [userId, language]);
  }

  async memberStateExists(iso3: string): Promise<boolean> {
    return (await this.ds.query(USER_SQL.memberStateExists, [iso3])).length > 0;
  }

  /** The new user, or undefined if the (lower-cased) e-mail address is taken. */
  async create(u: {
    email: string;
    displayName: string;
    passwordHash: string;
    role: string;
    memberState: string | null;
  }): Promise<UserRow | undefined> {
    const [row] = await this.ds.query(USER_SQL.create, [
      u.email.toLowerCase(),
      u.displayName,
      u.passwordHash,
      u.role,
      u.memberState,
    ]);
    return row;
  }

  async changeRole(id: string, role: string, memberState: string | null): Promise<UserRow | undefined> {
    try {
      return (await updateReturning<UserRow>(this.ds, USER_SQL.changeRole, [id, role, memberState]))[0];
    } finally {
      this.principals.forgetUser(id);
    }
  }

  /** Deactivates the account and revokes its open sessions; undefined if there is no such user. */
  async deactivate(id: string): Promise<UserRow | undefined> {
    try {
      const [row] = await updateReturning<UserRow>(this.ds, USER_SQL.deactivate, [id]);
      if (row) await this.ds.query(USER_SQL.revokeSessions, [id]);
      return row;
    } finally {
      this.principals.forgetUser(id);
    }
  }

  /** Who submitted a request, by id (whether active or not): its display name and role. */
  async submitter(id: string): Promise<{ displayName: string; role: string } | undefined> {
    const [row] = await this.ds.query(USER_SQL.submitter, [id]);
    return row;
  }

  /** The user holding a request, by id (whether active or not: a request keeps its holder's name). */
  async assignee(id: string): Promise<AssigneeRow | undefined> {
    const [row] = await this.ds.query(USER_SQL.assignee, [id]);
    return row;
  }

  /** The role of an active user; undefined if there is no such user or it is deactivated. */
  async activeRole(id: string): Promise<{ id: string; role: string } | undefined> {
    const [row] = await this.ds.query(USER_SQL.activeRole, [id]);
    return row;
  }

  /** The active users having one of these roles, by name. */
  assignable(roles: readonly string[]): Promise<AssignableUserRow[]> {
    return this.ds.query(USER_SQL.assignable, [roles]);
  }
}
