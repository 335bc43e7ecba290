import type { DataSource } from 'typeorm';
import { STORED_EVENT_COLUMNS, StoredEventRow } from '../public-event';
import { Queryable, updateReturning } from './sql';

export interface WebhookSubscriptionRow {
  id: string;
  url: string;
  event_types: string[];
  secret: string;
  member_state: string | null;
  active: boolean;
  disabled_reason: string | null;
  created_at: Date;
}

export interface WebhookDeliveryRow {
  /** bigint as text. */
  id: string;
  event_id: string;
  type: string;
  /** Deliveries are of request events: every one has its request. */
  reference: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  delivered_at: Date | null;
  log: { attemptedAt: string; statusCode: number | null; error: string | null; durationMs: number; replay: boolean }[];
}

export const WEBHOOK_SQL = {
  create: `INSERT INTO webhook_subscriptions (url, event_types, secret, member_state, active) VALUES ($1,$2,$3,$4,$5) RETURNING *`,
  list: 'SELECT * FROM webhook_subscriptions ORDER BY created_at, id',
  find: 'SELECT * FROM webhook_subscriptions WHERE id = $1',
  update: `UPDATE webhook_subscriptions SET url = COALESCE($2, url), event_types = COALESCE($3, event_types),
                  active = COALESCE($4, active),
                  disabled_reason = CASE WHEN $4::boolean IS TRUE THEN NULL ELSE disabled_reason END
            WHERE id = $1 RETURNING *`,
  removeAttempts: `DELETE FROM webhook_delivery_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE subscription_id = $1)`,
  removeDeliveries: 'DELETE FROM webhook_deliveries WHERE subscription_id = $1',
  remove: 'DELETE FROM webhook_subscriptions WHERE id = $1',
  /** Newest first, keyset on id, each with its attempt log. */
  deliveries: `SELECT d.id::text AS id, d.event_id::text AS event_id, e.type, r.reference, d.status, d.attempts, d.last_status_code, d.delivered_at,
                      COALESCE((SELECT json_agg(json_build_object('attemptedAt', a.attempted_at, 'statusCode', a.status_code,
                                'error', a.error, 'durationMs', a.duration_ms, 'replay', a.replay) ORDER BY a.id)
                                  FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS log
                 FROM webhook_deliveries d JOIN request_events e ON e.id = d.event_id
                 LEFT JOIN assistance_requests r ON r.id = d.request_id
                WHERE d.subscription_id = $1 AND ($2::bigint IS NULL OR d.id < $2::bigint)
                ORDER BY d.id DESC LIMIT $3`,
  replay: `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now()
            WHERE id = $1 AND subscription_id = $2 RETURNING id`,
  /** The pull feed: events after an id, oldest first; $3, when given, keeps one State's. */
  feed: (
    scoped: boolean,
  ) => `SELECT ${STORED_EVENT_COLUMNS} FROM request_events e LEFT JOIN assistance_requests r ON r.id = e.request_id
        WHERE e.id > $1 ${scoped ? 'AND r.member_state = $3' : ''} ORDER BY e.id LIMIT $2`,
} as const;

/** A due delivery, with what sending it needs. */
export interface DueWebhookDeliveryRow {
  /** bigint as text. */
  id: string;
  subscription_id: string;
  attempts: number;
  url: string;
  secret: string;
  /** Queued again by an administrator (attempts were reset): the attempt is logged as a replay. */
  replay: boolean;
}

export const WEBHOOK_DISPATCH_SQL = {
  /**
   * The due delivery of the oldest event, locked; one delivery per (subscription, request) at a
   * time, in event order: a later event waits while an earlier one is pending.
   */
  nextDue: `SELECT d.id::text AS id, d.subscription_id, d.attempts, s.url, s.secret,
                   EXISTS (SELECT 1 FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id) AND d.attempts = 0 AS replay
              FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
             WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND s.active
               AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                                WHERE e.subscription_id = d.subscription_id AND e.request_id = d.request_id
                                  AND e.status = 'pending' AND e.event_id < d.event_id)
             ORDER BY d.event_id LIMIT 1 FOR UPDATE OF d SKIP LOCKED`,
  event: `SELECT ${STORED_EVENT_COLUMNS} FROM webhook_deliveries d JOIN request_events e ON e.id = d.event_id
            LEFT JOIN assistance_requests r ON r.id = e.request_id WHERE d.id = $1`,
  logAttempt: `INSERT INTO webhook_delivery_attempts (delivery_id, status_code, error, duration_ms, replay) VALUES ($1,$2,$3,$4,$5)`,
  delivered: `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1,
                     last_status_code = $2, last_error = NULL WHERE id = $1`,
  failed: `UPDATE webhook_deliveries SET attempts = $2, last_status_code = $3, last_error = $4, status = $5,
                  next_attempt_at = now() + ($6::int * interval '1 millisecond') WHERE id = $1`,
  disable: `UPDATE webhook_subscriptions SET active = false, disabled_reason = $2 WHERE id = $1 AND active`,
} as const;

/** The statements of one webhook sending, inside the transaction that holds the delivery's lock. */
export class WebhookDispatchBatch {
  constructor(private readonly tx: Queryable) {}

  async nextDue(): Promise<DueWebhookDeliveryRow | undefined> {
    const [row] = await this.tx.query(WEBHOOK_DISPATCH_SQL.nextDue);
    return row;
  }

  /** The delivery's event, as the feed and CloudEvents show it. */
  async event(deliveryId: string): Promise<StoredEventRow> {
    const [row] = await this.tx.query(WEBHOOK_DISPATCH_SQL.event, [deliveryId]);
    return row;
  }

  async logAttempt(
    deliveryId: string,
    a: { statusCode: number | null; error: string | null; durationMs: number; replay: boolean },
  ): Promise<void> {
    await this.tx.query(WEBHOOK_DISPATCH_SQL.logAttempt, [deliveryId, a.statusCode, a.error, a.durationMs, a.replay]);
  }

  async delivered(deliveryId: string, statusCode: number | null): Promise<void> {
    await this.tx.query(WEBHOOK_DISPATCH_SQL.delivered, [deliveryId, statusCode]);
  }

  /** Records a failed attempt: retried after `retryInMs`, or given up (`final`). */
  async failed(
    deliveryId: string,
    f: { attempts: number; statusCode: number | null; error: string | null; final: boolean; retryInMs: number },
  ): Promise<void> {
    await this.tx.query(WEBHOOK_DISPATCH_SQL.failed, [
      deliveryId,
      f.attempts,
      f.statusCode,
      f.error,
      f.final ? 'failed' : 'pending',
      f.retryInMs,
    ]);
  }

  /** Disables an active subscription, saying why (at most 300 characters). */
  async disable(subscriptionId: string, reason: string): Promise<void> {
    await this.tx.query(WEBHOOK_DISPATCH_SQL.disable, [subscriptionId, reason.slice(0, 300)]);
  }
}

/** Webhook subscriptions, their deliveries, and the event feed they and pull clients read. */
export class WebhookRepository {
  constructor(private readonly ds: DataSource) {}

  async create(s: {
    url: string;
    eventTypes: string[];
    secret: string;
    memberState: string | null;
    active: boolean;
  }): Promise<WebhookSubscriptionRow> {
    const [row] = await this.ds.query(WEBHOOK_SQL.create, [s.url, s.eventTypes, s.secret, s.memberState, s.active]);
    return row;
  }

  list(): Promise<WebhookSubscriptionRow[]> {
    return this.ds.query(WEBHOOK_SQL.list);
  }

  async find(id: string): Promise<WebhookSubscriptionRow | undefined> {
    const [row] = await this.ds.query(WEBHOOK_SQL.find, [id]);
    return row;
  }

  /** Fields left null keep their value; activating clears the reason it was disabled. */
  async update(
    id: string,
    s: { url: string | null; eventTypes: string[] | null; active: boolean | null },
  ): Promise<WebhookSubscriptionRow | undefined> {
    return (
      await updateReturning<WebhookSubscriptionRow>(this.ds, WEBHOOK_SQL.update, [id, s.url, s.eventTypes, s.active])
    )[0];
  }

  /** The subscription with its deliveries and their attempts, in one transaction. */
  async remove(id: string): Promise<void> {
    await this.ds.transaction(async (tx) => {
      await tx.query(WEBHOOK_SQL.removeAttempts, [id]);
      await tx.query(WEBHOOK_SQL.removeDeliveries, [id]);
      await tx.query(WEBHOOK_SQL.remove, [id]);
    });
  }

  /** Asks for limit + 1 rows: the extra one says whether there is a next page. */
  deliveries(subscriptionId: string, before: string | null, limit: number): Promise<WebhookDeliveryRow[]> {
    return this.ds.query(WEBHOOK_SQL.deliveries, [subscriptionId, before, limit + 1]);
  }

  /** Queues the delivery again from its first attempt; false if the subscription has no such delivery. */
  async replay(subscriptionId: string, deliveryId: string): Promise<boolean> {
    return (await updateReturning(this.ds, WEBHOOK_SQL.replay, [deliveryId, subscriptionId])).length > 0;
  }

  /** Runs `fn` in one transaction: the delivery it reads stays locked until it returns. */
  dispatch<T>(fn: (batch: WebhookDispatchBatch) => Promise<T>): Promise<T> {
    return this.ds.transaction((tx) => fn(new WebhookDispatchBatch(tx)));
  }

  feed(afterId: string, limit: number, memberState?: string | null): Promise<StoredEventRow[]> {
    const scoped = memberState !== undefined;
    return this.ds.query(WEBHOOK_SQL.feed(scoped), scoped ? [afterId, limit, memberState] : [afterId, limit]);
  }
}
