import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MANDATORY_KINDS, NOTIFICATION_KINDS, NotificationKind } from '@app/domain';
import type { Principal } from '../auth/access.decorators';
import { notFound, validationException } from '../common/api-error';
import { readCursor, signCursor } from '../common/cursor';
import {
  ListNotificationsQuery,
  MarkedReadDto,
  NotificationDto,
  NotificationPageDto,
  NotificationPreferencesDto,
  NotificationPreferencesViewDto,
} from './notifications.dto';

interface Row {
  id: string;
  kind: string;
  reference: string;
  request_id: string;
  params: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

function toDto(r: Row): NotificationDto {
  return {
    id: r.id,
    kind: r.kind,
    reference: r.reference,
    requestId: r.request_id,
    params: r.params,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}

/** Keyset cursor over (read?, id desc): [0 or 1, id], signed (common/cursor.ts). */
function encode(read: boolean, id: string): string {
  return signCursor([read ? 1 : 0, id]);
}

function decode(cursor: string): { read: number; id: string } {
  const [read, id] = readCursor(
    cursor,
    (v): v is [0 | 1, string] =>
      Array.isArray(v) &&
      v.length === 2 &&
      (v[0] === 0 || v[0] === 1) &&
      typeof v[1] === 'string' &&
      /^\d{1,18}$/.test(v[1]),
  );
  return { read, id };
}

/** The caller's own notifications only: every query is keyed by the caller's user id. */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async list(user: Principal, q: ListNotificationsQuery): Promise<NotificationPageDto> {
    const limit = q.limit ?? 20;
    const args: unknown[] = [user.userId, limit + 1];
    let after = '';
    if (q.cursor) {
      const c = decode(q.cursor);
      args.push(c.read, c.id);
      after = `AND ((read_at IS NOT NULL)::int, -id) > ($3::int, -$4::bigint)`;
    }
    const rows: Row[] = await this.ds.query(
      `SELECT id::text AS id, kind, reference, request_id, params, created_at, read_at FROM notifications
        WHERE user_id = $1 ${after}
        ORDER BY (read_at IS NOT NULL)::int, id DESC LIMIT $2`,
      args,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDto),
      nextCursor: rows.length > limit && last ? encode(last.read_at !== null, last.id) : null,
      unreadCount: await this.unread(user.userId),
    };
  }

  async markRead(user: Principal, id: string): Promise<MarkedReadDto> {
    const [updated] = await this.ds.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING id`,
      [id, user.userId],
    );
    // Another user's notification is as absent as one that never existed.
    if (!updated.length) throw notFound('id', 'notification');
    return { marked: 1, unreadCount: await this.unread(user.userId) };
  }

  async markAllRead(user: Principal): Promise<MarkedReadDto> {
    const [, count] = await this.ds.query(
      `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`,
      [user.userId],
    );
    return { marked: Number(count ?? 0), unreadCount: await this.unread(user.userId) };
  }

  async preferences(user: Principal): Promise<NotificationPreferencesViewDto> {
    const rows: { kind: string; mode: string }[] = await this.ds.query(
      'SELECT kind, mode FROM notification_preferences WHERE user_id = $1',
      [user.userId],
    );
    const chosen = new Map(rows.map((r) => [r.kind, r.mode]));
    return {
      preferences: NOTIFICATION_KINDS.map((kind) => ({
        kind,
        mode: (chosen.get(kind) ?? 'immediate') as 'immediate',
        mandatory: MANDATORY_KINDS.includes(kind),
      })),
    };
  }

  async setPreferences(user: Principal, body: NotificationPreferencesDto): Promise<NotificationPreferencesViewDto> {
    const refused = body.preferences
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => p.mode === 'off' && MANDATORY_KINDS.includes(p.kind as NotificationKind));
    if (refused.length)
      throw validationException(
        refused.map(({ p, i }) => ({
          field: `preferences[${i}].mode`,
          reason: `${p.kind} is mandatory and cannot be switched off`,
        })),
      );
    await this.ds.transaction(async (tx) => {
      for (const p of body.preferences) {
        await tx.query(
          `INSERT INTO notification_preferences (user_id, kind, mode) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, kind) DO UPDATE SET mode = EXCLUDED.mode`,
          [user.userId, p.kind, p.mode],
        );
      }
    });
    return this.preferences(user);
  }

  private async unread(userId: string): Promise<number> {
    const [r] = await this.ds.query(
      'SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    );
    return r.n;
  }
}
