import { Injectable } from '@nestjs/common';
import { MANDATORY_KINDS, NOTIFICATION_KINDS, NotificationKind } from '@app/domain';
import { NotificationRepository, NotificationRow } from '@app/persistence';
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

function toDto(r: NotificationRow): NotificationDto {
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
  constructor(private readonly notifications: NotificationRepository) {}

  async list(user: Principal, q: ListNotificationsQuery): Promise<NotificationPageDto> {
    const limit = q.limit ?? 20;
    const rows = await this.notifications.list(user.userId, limit, q.cursor ? decode(q.cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDto),
      nextCursor: rows.length > limit && last ? encode(last.read_at !== null, last.id) : null,
      unreadCount: await this.unread(user.userId),
    };
  }

  async markRead(user: Principal, id: string): Promise<MarkedReadDto> {
    // Another user's notification is as absent as one that never existed.
    if (!(await this.notifications.markRead(user.userId, id))) throw notFound('id', 'notification');
    return { marked: 1, unreadCount: await this.unread(user.userId) };
  }

  async markAllRead(user: Principal): Promise<MarkedReadDto> {
    const marked = await this.notifications.markAllRead(user.userId);
    return { marked, unreadCount: await this.unread(user.userId) };
  }

  async preferences(user: Principal): Promise<NotificationPreferencesViewDto> {
    const rows = await this.notifications.preferences(user.userId);
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
    await this.notifications.setPreferences(user.userId, body.preferences);
    return this.preferences(user);
  }

  private unread(userId: string): Promise<number> {
    return this.notifications.unread(userId);
  }
}
