import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { APP_CONFIG, AppConfig, urlTargetProblem } from '@app/common';
import { Role } from '@app/domain';
import { WebhookRepository, WebhookSubscriptionRow, toCloudEvent } from '@app/persistence';
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

function toDto(r: WebhookSubscriptionRow, withSecret = false): WebhookDto {
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
    private readonly webhooks: WebhookRepository,
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
    const row = await this.webhooks.create({
      url: body.url,
      eventTypes: [...new Set(body.eventTypes)],
      secret,
      memberState: body.memberState ?? null,
      active: body.active ?? true,
    });
    return toDto(row, true);
  }

  async list(): Promise<WebhookDto[]> {
    const rows = await this.webhooks.list();
    return rows.map((r) => toDto(r));
  }

  async get(id: string): Promise<WebhookDto> {
    return toDto(await this.find(id));
  }

  async update(id: string, body: UpdateWebhookDto): Promise<WebhookDto> {
    await this.find(id);
    this.checkTarget(body.url);
    const row = await this.webhooks.update(id, {
      url: body.url ?? null,
      eventTypes: body.eventTypes ? [...new Set(body.eventTypes)] : null,
      active: body.active ?? null,
    });
    return toDto(row!);
  }

  async remove(id: string): Promise<void> {
    await this.find(id);
    await this.webhooks.remove(id);
  }

  async deliveries(id: string, q: ListDeliveriesQuery): Promise<DeliveryPageDto> {
    await this.find(id);
    const limit = q.limit ?? 50;
    const before = q.cursor ? decodeId('d', 'cursor', q.cursor) : null;
    const rows = await this.webhooks.deliveries(id, before, limit);
    const page = rows.slice(0, limit);
    return {
      items: page.map((r): DeliveryDto => ({
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
    if (!(await this.webhooks.replay(id, deliveryId))) throw notFound('deliveryId', 'delivery of this webhook');
    const page = await this.deliveries(id, { limit: 200 });
    return page.items.find((d) => d.id === deliveryId) ?? page.items[0];
  }

  /** The pull feed: events after the cursor, oldest first; a focal point sees its own State's only. */
  async feed(user: Principal, q: EventFeedQuery): Promise<EventFeedDto> {
    const after = q.after ? decodeId('e', 'after', q.after) : '0';
    const limit = q.limit ?? 100;
    // A focal point sees its own State's events only.
    const rows = await this.webhooks.feed(after, limit, user.role === Role.MemberState ? user.memberState : undefined);
    return {
      items: rows.map((r) => toCloudEvent(r) as unknown as Record<string, unknown>),
      nextCursor: encodeId('e', rows.length ? rows[rows.length - 1].id : after),
    };
  }

  private async find(id: string): Promise<WebhookSubscriptionRow> {
    const row = await this.webhooks.find(id);
    if (!row) throw notFound('id', 'webhook subscription');
    return row;
  }
}
