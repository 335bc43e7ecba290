import type { DataSource } from 'typeorm';
import { affected, updateReturning } from './sql';

/** One in-app notification, as its owner lists it. */
export interface NotificationRow {
  /** bigint as text. */
  id: string;
  kind: string;
  reference: string;
  request_id: string;
  params: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

export interface NotificationPreferenceRow {
  kind: string;
  mode: string;
}

export const NOTIFICATION_SQL = {
  /** Unread first, newest first within each; keyset on ((read?)::int, -id). */
  list: (
    after: boolean,
  ) => `SELECT id::text AS id, kind, reference, request_id, params, created_at, read_at FROM notifications
        WHERE user_id = $1 ${after ? 'AND ((read_at IS NOT NULL)::int, -id) > ($3::int, -$4::bigint)' : ''}
        ORDER BY (read_at IS NOT NULL)::int, id DESC LIMIT $2`,
  markRead: 'UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING id',
  markAllRead: 'UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL',
  unread: 'SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
  preferences: 'SELECT kind, mode FROM notification_preferences WHERE user_id = $1',
  setPreference: `INSERT INTO notification_preferences (user_id, kind, mode) VALUES ($1, $2, $3)
                  ON CONFLICT (user_id, kind) DO UPDATE SET mode = EXCLUDED.mode`,
} as const;

/** A user's own notifications and preferences: every statement is keyed by the user's id. */
export class NotificationRepository {
  constructor(private readonly ds: DataSource) {}

  /** Asks for limit + 1 rows: the extra one says whether there is a next page. */
  list(userId: string, limit: number, after?: { read: number; id: string }): Promise<NotificationRow[]> {
    const args: unknown[] = [userId, limit + 1];
    if (after) args.push(after.read, after.id);
    return this.ds.query(NOTIFICATION_SQL.list(after !== undefined), args);
  }

  /** False if the user has no such notification (another user's included). */
  async markRead(userId: string, id: string): Promise<boolean> {
    return (await updateReturning(this.ds, NOTIFICATION_SQL.markRead, [id, userId])).length > 0;
  }

  /** How many were unread. */
  markAllRead(userId: string): Promise<number> {
    return affected(this.ds, NOTIFICATION_SQL.markAllRead, [userId]);
  }

  async unread(userId: string): Promise<number> {
    const [r] = await this.ds.query(NOTIFICATION_SQL.unread, [userId]);
    return r.n;
  }

  preferences(userId: string): Promise<NotificationPreferenceRow[]> {
    return this.ds.query(NOTIFICATION_SQL.preferences, [userId]);
  }

  /** All or none. */
  async setPreferences(userId: string, preferences: readonly NotificationPreferenceRow[]): Promise<void> {
    await this.ds.transaction(async (tx) => {
      for (const p of preferences) await tx.query(NOTIFICATION_SQL.setPreference, [userId, p.kind, p.mode]);
    });
  }
}
