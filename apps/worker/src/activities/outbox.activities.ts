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
  /** The dispatch run allowed to send in this process: an older one stops after its current message. */
  private active: object | undefined;
  /** The runs of this process, one after the other. */
  private runs: Promise<unknown> = Promise.resolve();

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

  /**
   * One run sends at a time in a process. Temporal retries an attempt whose heartbeat it missed
   * (a loaded machine) while that attempt may still be running here; two runs side by side would
   * each hold a message in flight, and a crash would then cut two sends, one possibly after the
   * SMTP server's 250 but before the row is marked sent: sent twice (seen in the kill-during-send
   * e2e test under load). The newer run takes over once the older has finished its message.
   */
  dispatchOutbox(input: { maxMs: number }): Promise<DispatchOutcome> {
    const ctx = Context.current();
    const run = {};
    this.active = run;
    const result = this.runs.then(() => this.dispatch(ctx, run, input.maxMs));
    this.runs = result.catch(() => undefined);
    return result;
  }

  private async dispatch(ctx: Context, run: object, maxMs: number): Promise<DispatchOutcome> {
    const until = Date.now() + maxMs;
    const done: DispatchOutcome = { emails: 0, webhooks: 0 };
    while (!this.stopping && this.active === run && Date.now() < until && !ctx.cancellationSignal.aborted) {
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
