import type { DataSource } from 'typeorm';
import { principalCacheOf } from './principal-cache';
import { Queryable } from './sql';
import { MeRow, USER_SQL } from './user.repository';

/** A session as a refresh sees it, locked for the rotation. */
export interface RefreshSessionRow {
  id: string;
  user_id: string;
  token_hash: string;
  revoked_at: Date | null;
  /** The user's account is active. */
  active: boolean;
  expired: boolean;
  idle: boolean;
  remaining_ms: string | number;
  /** The secret was replaced less than the grace period ago (see SessionService.refresh). */
  in_grace: boolean;
}

export const SESSION_SQL = {
  open: `INSERT INTO user_sessions (user_id, token_hash, last_used_at, expires_at)
         VALUES ($1, $2, now(), now() + $3 * interval '1 millisecond') RETURNING id`,
  lockForRefresh: `SELECT s.id, s.user_id, s.token_hash, s.revoked_at, u.active,
                          s.expires_at < now() AS expired,
                          -- The clock when the row is read (after any wait for its lock), not the
                          -- transaction's start: a refresh that waited while another rotated must not
                          -- count its wait as inside the period.
                          coalesce(s.rotated_at > clock_timestamp() - $3 * interval '1 second', false) AS in_grace,
                          s.last_used_at < now() - $2 * interval '1 minute' AS idle,
                          extract(epoch FROM s.expires_at - now()) * 1000 AS remaining_ms
                     FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 FOR UPDATE OF s`,
  revoke: 'UPDATE user_sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1',
  rotate:
    'UPDATE user_sessions SET token_hash = $2, last_used_at = now(), rotated_at = clock_timestamp() WHERE id = $1',
  signOut: `UPDATE user_sessions SET revoked_at = now(), revoked_reason = 'signed_out' WHERE id = $1 AND revoked_at IS NULL`,
} as const;

/** The rotation's statements, inside the caller's transaction (the session row stays locked). */
export class SessionRotation {
  /** Sessions this rotation revoked: the access guard's cache forgets them once the transaction has ended. */
  readonly revoked: string[] = [];

  constructor(private readonly tx: Queryable) {}

  async lock(id: string, idleMinutes: number, graceSeconds: number): Promise<RefreshSessionRow | undefined> {
    const [row] = await this.tx.query(SESSION_SQL.lockForRefresh, [id, idleMinutes, graceSeconds]);
    return row;
  }

  async revoke(id: string, reason: string): Promise<void> {
    this.revoked.push(id);
    await this.tx.query(SESSION_SQL.revoke, [id, reason]);
  }

  async rotate(id: string, tokenHash: string): Promise<void> {
    await this.tx.query(SESSION_SQL.rotate, [id, tokenHash]);
  }

  async me(userId: string): Promise<MeRow | undefined> {
    const [row] = await this.tx.query(USER_SQL.me, [userId]);
    return row;
  }
}

/** Refresh-token sessions (user_sessions): one row a sign-in, its secret stored hashed. */
export class SessionRepository {
  constructor(private readonly ds: DataSource) {}

  /** Opens a session; returns its id. */
  async open(userId: string, tokenHash: string, maxAgeMs: number): Promise<string> {
    const [row] = await this.ds.query(SESSION_SQL.open, [userId, tokenHash, maxAgeMs]);
    return row.id;
  }

  /** Runs `fn` in one transaction with the rotation's statements bound to it. */
  async rotation<T>(fn: (rotation: SessionRotation) => Promise<T>): Promise<T> {
    let rotation: SessionRotation | undefined;
    try {
      return await this.ds.transaction((tx) => fn((rotation = new SessionRotation(tx))));
    } finally {
      for (const id of rotation?.revoked ?? []) principalCacheOf(this.ds).forgetSession(id);
    }
  }

  async signOut(id: string): Promise<void> {
    try {
      await this.ds.query(SESSION_SQL.signOut, [id]);
    } finally {
      principalCacheOf(this.ds).forgetSession(id);
    }
  }
}
