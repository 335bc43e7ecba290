import { Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import type { AppConfig } from '@app/common';
import { EmailOutboxBatch, EmailOutboxRepository, EmailOutboxRow } from '@app/persistence';
import { MailItem, MailRenderer } from './mail-renderer';

/**
 * Sends the e-mail outbox. Each message is sent inside the transaction that holds its row lock
 * (SELECT … FOR UPDATE SKIP LOCKED) and the row is marked sent in that transaction right after the
 * SMTP server's 250. A worker killed before the 250 leaves the row pending (its lock dies with its
 * connection) and the server discards the unfinished message; only a kill in the instant between
 * the 250 and the COMMIT can send a message twice, and then with the same Message-ID
 * (`<ctap.EVENT.USER@domain>`), by which receivers de-duplicate.
 */
export class EmailDispatcher {
  private readonly logger = new Logger(EmailDispatcher.name);
  private readonly transport: Transporter | null;
  private readonly renderer: MailRenderer;
  private readonly domain: string;

  constructor(
    private readonly outbox: EmailOutboxRepository,
    private readonly config: AppConfig,
  ) {
    this.transport = config.mail.smtpUrl ? createTransport(config.mail.smtpUrl) : null;
    this.renderer = new MailRenderer(config.appBaseUrl);
    this.domain = /@([^\s>]+)>?$/.exec(config.mail.from)?.[1] ?? 'ctap.local';
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  close(): void {
    this.transport?.close();
  }

  /** Sends one due message (immediate, or one user's daily digest); false when nothing is due. */
  async sendOne(): Promise<boolean> {
    if (!this.transport) return false;
    return (
      (await this.outbox.batch((tx) => this.sendImmediate(tx))) ||
      (await this.outbox.batch((tx) => this.sendDigest(tx)))
    );
  }

  private async sendImmediate(tx: EmailOutboxBatch): Promise<boolean> {
    const row = await tx.nextImmediate();
    if (!row) return false;
    await this.deliver(tx, [row], `ctap.${row.event_id}.${row.user_id}`, false);
    return true;
  }

  private async sendDigest(tx: EmailOutboxBatch): Promise<boolean> {
    const rows = await tx.nextDigest();
    if (!rows.length) return false;
    const key = `ctap.digest.${rows[0].user_id}.${rows[0].id}-${rows[rows.length - 1].id}.${rows.length}`;
    await this.deliver(tx, rows, key, true);
    return true;
  }

  private async deliver(tx: EmailOutboxBatch, rows: EmailOutboxRow[], key: string, digest: boolean): Promise<void> {
    const ids = rows.map((r) => r.id);
    const user = rows[0];
    if (!user.active) {
      await tx.skip(ids, 'recipient deactivated');
      return;
    }
    const items: MailItem[] = rows.map((r) => ({ kind: r.kind, reference: r.reference, params: r.params }));
    const mail = this.renderer.render(items, user.preferred_language, digest);
    const messageId = `<${key}@${this.domain}>`;
    try {
      await this.transport!.sendMail({
        from: this.config.mail.from,
        to: user.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
        headers: {
          'X-CTAP-Idempotency-Key': key,
          'X-CTAP-Kind': digest ? 'digest' : user.kind,
          'X-CTAP-Reference': digest ? 'digest' : user.reference,
          'Content-Language': mail.language,
        },
      });
      await tx.sent(ids, messageId);
    } catch (err) {
      const e = err as Error & { responseCode?: number };
      const attempts = user.attempts + 1;
      // A 5xx answer (unknown mailbox, refused) will not change on retry.
      const final = attempts >= this.config.mail.maxAttempts || (e.responseCode ?? 0) >= 500;
      const delayMs = Math.min(this.config.mail.retryBaseMs * 2 ** (attempts - 1), 6 * 3600_000);
      this.logger.warn(`e-mail ${key} attempt ${attempts} failed: ${e.message}${final ? ' (giving up)' : ''}`);
      await tx.failed(ids, attempts, e.message, final, delayMs);
    }
  }
}
