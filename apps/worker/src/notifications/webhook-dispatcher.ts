import { Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import type { AppConfig } from '@app/common';
import { WebhookRepository, toCloudEvent } from '@app/persistence';
import { webhookPoster } from './webhook-poster';

/**
 * Delivers webhook rows as signed CloudEvents (Standard Webhooks headers). One delivery per
 * (subscription, request) at a time, in event order: a later event waits while an earlier one is
 * pending (retrying). A delivery that exhausts its attempts fails, and disables its subscription.
 */
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly post: ReturnType<typeof webhookPoster>;

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly config: AppConfig,
  ) {
    this.post = webhookPoster(config.webhooks);
  }

  async sendOne(): Promise<boolean> {
    return this.webhooks.dispatch(async (tx) => {
      const d = await tx.nextDue();
      if (!d) return false;
      const row = await tx.event(d.id);
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
      await tx.logAttempt(d.id, { statusCode: status, error, durationMs: Date.now() - started, replay: d.replay });
      if (!error) {
        await tx.delivered(d.id, status);
        return true;
      }
      const attempts = d.attempts + 1;
      const final = attempts >= this.config.webhooks.maxAttempts;
      const delayMs = Math.min(this.config.webhooks.retryBaseMs * 2 ** (attempts - 1), 6 * 3600_000);
      await tx.failed(d.id, { attempts, statusCode: status, error, final, retryInMs: delayMs });
      if (final) {
        this.logger.warn(
          `webhook subscription ${d.subscription_id} disabled: delivery ${d.id} failed ${attempts} times`,
        );
        await tx.disable(d.subscription_id, `delivery ${d.id} failed ${attempts} times (last: ${error})`);
      }
      return true;
    });
  }
}
