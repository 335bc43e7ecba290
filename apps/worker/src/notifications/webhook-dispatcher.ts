import { Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/common';
import { STORED_EVENT_COLUMNS, StoredEventRow, toCloudEvent } from '@app/persistence';
import { webhookPoster } from './webhook-poster';

interface DueDelivery {
  id: string;
  subscription_id: string;
  attempts: number;
  url: string;
  secret: string;
  replay: boolean;
}

/**
 * Delivers webhook rows as signed CloudEvents (Standard Webhooks headers). One delivery per
 * (subscription, request) at a time, in event order: a later event waits while an earlier one is
 * pending (retrying). A delivery that exhausts its attempts fails, and disables its subscription.
 */
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly post: ReturnType<typeof webhookPoster>;

  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {
    this.post = webhookPoster(config.webhooks);
  }

  async sendOne(): Promise<boolean> {
    return this.ds.transaction(async (tx) => {
      const [d]: DueDelivery[] = await tx.query(
        `SELECT d.id::text AS id, d.subscription_id, d.attempts, s.url, s.secret,
                EXISTS (SELECT 1 FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id) AND d.attempts = 0 AS replay
           FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND s.active
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                             WHERE e.subscription_id = d.subscription_id AND e.request_id = d.request_id
                               AND e.status = 'pending' AND e.event_id < d.event_id)
          ORDER BY d.event_id LIMIT 1 FOR UPDATE OF d SKIP LOCKED`,
      );
      if (!d) return false;
      const [row]: StoredEventRow[] = await tx.query(
        `SELECT ${STORED_EVENT_COLUMNS} FROM webhook_deliveries d JOIN request_events e ON e.id = d.event_id
           LEFT JOIN assistance_requests r ON r.id = e.request_id WHERE d.id = $1`,
        [d.id],
      );
      const body = JSON.stringify(toCloudEvent(row));
      const msgId = `evt_${row.id}`;
      const now = new Date();
      const signature = new Webhook(d.secret).sign(msgId, now, body);
      const started = Date.now();
      let status: number | null = null;
      let error: string | null = null;
      try {
        status = await this.post(
          d.url,
          {
            'content-type': 'application/cloudevents+json',
            'webhook-id': msgId,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signature,
          },
          body,
        );
        if (status < 200 || status > 299) error = `HTTP ${status}`;
      } catch (err) {
        // undici reports a refused lookup as "fetch failed" with the reason as its cause.
        const e = err as Error & { cause?: Error };
        error = (e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message).slice(0, 1000);
      }
      await tx.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, status_code, error, duration_ms, replay) VALUES ($1,$2,$3,$4,$5)`,
        [d.id, status, error, Date.now() - started, d.replay],
      );
      if (!error) {
        await tx.query(
          `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1,
                  last_status_code = $2, last_error = NULL WHERE id = $1`,
          [d.id, status],
        );
        return true;
      }
      const attempts = d.attempts + 1;
      const final = attempts >= this.config.webhooks.maxAttempts;
      const delayMs = Math.min(this.config.webhooks.retryBaseMs * 2 ** (attempts - 1), 6 * 3600_000);
      await tx.query(
        `UPDATE webhook_deliveries SET attempts = $2, last_status_code = $3, last_error = $4, status = $5,
                next_attempt_at = now() + ($6::int * interval '1 millisecond') WHERE id = $1`,
        [d.id, attempts, status, error, final ? 'failed' : 'pending', delayMs],
      );
      if (final) {
        this.logger.warn(
          `webhook subscription ${d.subscription_id} disabled: delivery ${d.id} failed ${attempts} times`,
        );
        await tx.query(
          `UPDATE webhook_subscriptions SET active = false, disabled_reason = $2 WHERE id = $1 AND active`,
          [d.subscription_id, `delivery ${d.id} failed ${attempts} times (last: ${error})`.slice(0, 300)],
        );
      }
      return true;
    });
  }
}
