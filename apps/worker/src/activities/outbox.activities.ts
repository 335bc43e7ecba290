import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { APP_CONFIG, AppConfig } from '@app/common';
import { EmailOutboxRepository, WebhookRepository } from '@app/persistence';
import type { DispatchOutcome, OutboxActivities } from '@app/contracts';
import { EmailDispatcher } from '../notifications/email-dispatcher';
import { WebhookDispatcher } from '../notifications/webhook-dispatcher';

/**
 * The outbox dispatcher activity: for about `maxMs`, sends whatever e-mails and webhook deliveries
 * are due, heartbeating after each, and polls Postgres while idle. Stops early on shutdown.
 */
@Injectable()
export class OutboxActivitiesImpl implements OutboxActivities, OnApplicationShutdown {
  private readonly email: EmailDispatcher;
  private readonly webhooks: WebhookDispatcher;
  private stopping = false;

  constructor(
    emailOutbox: EmailOutboxRepository,
    webhooks: WebhookRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.email = new EmailDispatcher(emailOutbox, config);
    this.webhooks = new WebhookDispatcher(webhooks, config);
  }

  /** Called before the worker drains: the running dispatch returns at its next step. */
  stop(): void {
    this.stopping = true;
  }

  onApplicationShutdown(): void {
    this.stop();
    this.email.close();
  }

  async dispatchOutbox(input: { maxMs: number }): Promise<DispatchOutcome> {
    const ctx = Context.current();
    const until = Date.now() + input.maxMs;
    const done: DispatchOutcome = { emails: 0, webhooks: 0 };
    while (!this.stopping && Date.now() < until && !ctx.cancellationSignal.aborted) {
      const [mail, hook] = await Promise.all([this.email.sendOne(), this.webhooks.sendOne()]);
      if (mail) done.emails++;
      if (hook) done.webhooks++;
      ctx.heartbeat(done);
      if (!mail && !hook) {
        try {
          await ctx.sleep(this.config.notifyPollMs);
        } catch {
          break; // cancelled
        }
      }
    }
    return done;
  }

  asActivities(): OutboxActivities {
    return { dispatchOutbox: this.dispatchOutbox.bind(this) };
  }
}
