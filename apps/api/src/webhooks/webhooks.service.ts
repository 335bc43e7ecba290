import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, urlTargetProblem } from '@app/common';
import { Role } from '@app/domain';
import { STORED_EVENT_COLUMNS, StoredEventRow, toCloudEvent } from '@app/persistence';
import type { Principal } from '../auth/access.decorators';
import { notFound, validationException } from '../common/api-error';
import { readCursor, signCursor } from '../common/cursor';
import {
  CreateWebhookDto,
  DeliveryDto,
  DeliveryPageDto,
  EventFeedDto,
  EventFeedQuery,
  ListDeliveriesQuery,
  UpdateWebhookDto,
  WebhookDto,
} from './webhooks.dto';

interface SubRow {
  id: string;
  url: string;
  event_types: string[];
  member_state: string | null;
  active: boolean;
  disabled_reason: string | null;
  created_at: Date;
  secret: string;
}

function toDto(r: SubRow, withSecret = false): WebhookDto {
  return {
    id: r.id,
    url: r.url,
    eventTypes: r.event_types,
    memberState: r.member_state?.trim() ?? null,
    active: r.active,
    disabledReason: r.disabled_reason,
    createdAt: new Date(r.created_at).toISOString(),
    ...(withSecret ? { secret: r.secret } : {}),
  };
}

/** Opaque, signed cursors over bigint ids: [prefix, id] (common/cursor.ts). */
function encodeId(prefix: string, id: string): string {
  return signCursor([prefix, id]);
}
function decodeId(prefix: string, field: string, cursor: string): string {
  const [, id] = readCursor(
    cursor,
    (v): v is [string, string] =>
      Array.isArray(v) && v.length === 2 && v[0] === prefix && typeof v[1] === 'string' && /^\d{1,18}$/.test(v[1]),
    field,
  );
  return id;
}

@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 422 naming `url` when it points to a private or local address and those are not allowed. */
  private checkTarget(url: string | undefined): void {
    const problem = url && !this.config.webhooks.allowPrivateTargets ? urlTargetProblem(url) : null;
    if (problem) throw validationException([{ field: 'url', reason: problem }], 'INVALID_PAYLOAD');
  }

  async create(body: CreateWebhookDto): Promise<WebhookDto> {
    this.checkTarget(body.url);
    const secret = body.secret ?? `whsec_${randomBytes(32).toString('base64')}`;
    const [row]: SubRow[] = await this.ds.query(
      `INSERT INTO webhook_subscriptions (url, event_types, secret, member_state, active) VALUES ($1,$2,$3,$4,$5) RETURNING *`,
      [body.url, [...new Set(body.eventTypes)], secret, body.memberState ?? null, body.active ?? true],
    );
    return toDto(row, true);
  }

  async list(): Promise<WebhookDto[]> {
    const rows: SubRow[] = await this.ds.query('SELECT * FROM webhook_subscriptions ORDER BY created_at, id');
    return rows.map((r) => toDto(r));
  }

  async get(id: string): Promise<WebhookDto> {
    return toDto(await this.find(id));
  }

  async update(id: string, body: UpdateWebhookDto): Promise<WebhookDto> {
    await this.find(id);
    this.checkTarget(body.url);
    const [[row]]: [SubRow[]] = await this.ds.query(
      `UPDATE webhook_subscriptions SET url = COALESCE($2, url), event_types = COALESCE($3, event_types),
              active = COALESCE($4, active),
              disabled_reason = CASE WHEN $4::boolean IS TRUE THEN NULL ELSE disabled_reason END
        WHERE id = $1 RETURNING *`,
      [id, body.url ?? null, body.eventTypes ? [...new Set(body.eventTypes)] : null, body.active ?? null],
    );
    return toDto(row);
  }

  async remove(id: string): Promise<void> {
    await this.find(id);
    await this.ds.transaction(async (tx) => {
      await tx.query(
        `DELETE FROM webhook_delivery_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE subscription_id = $1)`,
        [id],
      );
      await tx.query('DELETE FROM webhook_deliveries WHERE subscription_id = $1', [id]);
      await tx.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
    });
  }

  async deliveries(id: string, q: ListDeliveriesQuery): Promise<DeliveryPageDto> {
    await this.find(id);
    const limit = q.limit ?? 50;
    const before = q.cursor ? decodeId('d', 'cursor', q.cursor) : null;
    const rows = await this.ds.query(
      `SELECT d.id::text AS id, d.event_id::text AS event_id, e.type, r.reference, d.status, d.attempts, d.last_status_code, d.delivered_at,
              COALESCE((SELECT json_agg(json_build_object('attemptedAt', a.attempted_at, 'statusCode', a.status_code,
                        'error', a.error, 'durationMs', a.duration_ms, 'replay', a.replay) ORDER BY a.id)
                          FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS log
         FROM webhook_deliveries d JOIN request_events e ON e.id = d.event_id
         LEFT JOIN assistance_requests r ON r.id = d.request_id
        WHERE d.subscription_id = $1 AND ($2::bigint IS NULL OR d.id < $2::bigint)
        ORDER BY d.id DESC LIMIT $3`,
      [id, before, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r: Record<string, never>): DeliveryDto => ({
        id: r.id,
        eventId: r.event_id,
        eventType: r.type,
        reference: r.reference,
        status: r.status,
        attempts: r.attempts,
        lastStatusCode: r.last_status_code,
        deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
        log: r.log,
      })),
      nextCursor: rows.length > limit ? encodeId('d', page[page.length - 1].id) : null,
    };
  }

  /** Sends the delivery again, whatever its status, with the same webhook-id (receivers de-duplicate by it). */
  async replay(id: string, deliveryId: string): Promise<DeliveryDto> {
    await this.find(id);
    const [rows] = await this.ds.query(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now()
        WHERE id = $1 AND subscription_id = $2 RETURNING id`,
      [deliveryId, id],
    );
    if (!rows.length) throw notFound('deliveryId', 'delivery of this webhook');
    const page = await this.deliveries(id, { limit: 200 });
    return page.items.find((d) => d.id === deliveryId) ?? page.items[0];
  }

  /** The pull feed: events after the cursor, oldest first; a focal point sees its own State's only. */
  async feed(user: Principal, q: EventFeedQuery): Promise<EventFeedDto> {
    const after = q.after ? decodeId('e', 'after', q.after) : '0';
    const limit = q.limit ?? 100;
    const scoped = user.role === Role.MemberState;
    const rows: StoredEventRow[] = await this.ds.query(
      `SELECT ${STORED_EVENT_COLUMNS} FROM request_events e LEFT JOIN assistance_requests r ON r.id = e.request_id
        WHERE e.id > $1 ${scoped ? 'AND r.member_state = $3' : ''} ORDER BY e.id LIMIT $2`,
      scoped ? [after, limit, user.memberState] : [after, limit],
    );
    return {
      items: rows.map((r) => toCloudEvent(r) as unknown as Record<string, unknown>),
      nextCursor: encodeId('e', rows.length ? rows[rows.length - 1].id : after),
    };
  }

  private async find(id: string): Promise<SubRow> {
    const [row]: SubRow[] = await this.ds.query('SELECT * FROM webhook_subscriptions WHERE id = $1', [id]);
    if (!row) throw notFound('id', 'webhook subscription');
    return row;
  }
}
