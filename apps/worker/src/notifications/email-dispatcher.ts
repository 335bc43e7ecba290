import { Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import type { DataSource, QueryRunner } from 'typeorm';
import type { AppConfig } from '@app/common';
import { MailItem, MailRenderer } from './mail-renderer';

interface OutboxRow {
  id: string;
  event_id: string;
  user_id: string;
  kind: string;
  reference: string;
  params: Record<string, unknown>;
  attempts: number;
  email: string;
  preferred_language: string | null;
  active: boolean;
}

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
    private readonly ds: DataSource,
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
    return (await this.withTx((qr) => this.sendImmediate(qr))) || (await this.withTx((qr) => this.sendDigest(qr)));
  }

  private async sendImmediate(qr: QueryRunner): Promise<boolean> {
    const [row]: OutboxRow[] = await qr.query(
      `SELECT o.id::text AS id, o.event_id::text AS event_id, o.user_id, o.kind, o.reference, o.params, o.attempts,
              u.email, u.preferred_language, u.active
         FROM email_outbox o JOIN users u ON u.id = o.user_id
        WHERE o.status = 'pending' AND o.mode = 'immediate' AND o.next_attempt_at <= now()
        ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED`,
    );
    if (!row) return false;
    await this.deliver(qr, [row], `ctap.${row.event_id}.${row.user_id}`, false);
    return true;
  }

  private async sendDigest(qr: QueryRunner): Promise<boolean> {
    const rows: OutboxRow[] = await qr.query(
      `SELECT o.id::text AS id, o.event_id::text AS event_id, o.user_id, o.kind, o.reference, o.params, o.attempts,
              u.email, u.preferred_language, u.active
         FROM email_outbox o JOIN users u ON u.id = o.user_id
        WHERE o.status = 'pending' AND o.mode = 'daily_digest' AND o.next_attempt_at <= now()
          AND o.user_id = (SELECT user_id FROM email_outbox WHERE status = 'pending' AND mode = 'daily_digest'
                            AND next_attempt_at <= now() ORDER BY id LIMIT 1)
        ORDER BY o.id LIMIT 200 FOR UPDATE OF o SKIP LOCKED`,
    );
    if (!rows.length) return false;
    const key = `ctap.digest.${rows[0].user_id}.${rows[0].id}-${rows[rows.length - 1].id}.${rows.length}`;
    await this.deliver(qr, rows, key, true);
    return true;
  }

  private async deliver(qr: QueryRunner, rows: OutboxRow[], key: string, digest: boolean): Promise<void> {
    const ids = rows.map((r) => r.id);
    const user = rows[0];
    if (!user.active) {
      await qr.query(
        `UPDATE email_outbox SET status = 'skipped', last_error = 'recipient deactivated' WHERE id = ANY($1)`,
        [ids],
      );
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
      await qr.query(`UPDATE email_outbox SET status = 'sent', sent_at = now(), message_id = $2 WHERE id = ANY($1)`, [
        ids,
        messageId,
      ]);
    } catch (err) {
      const e = err as Error & { responseCode?: number };
      const attempts = user.attempts + 1;
      // A 5xx answer (unknown mailbox, refused) will not change on retry.
      const final = attempts >= this.config.mail.maxAttempts || (e.responseCode ?? 0) >= 500;
      const delayMs = Math.min(this.config.mail.retryBaseMs * 2 ** (attempts - 1), 6 * 3600_000);
      this.logger.warn(`e-mail ${key} attempt ${attempts} failed: ${e.message}${final ? ' (giving up)' : ''}`);
      await qr.query(
        `UPDATE email_outbox SET attempts = $2, last_error = $3, status = $4,
                next_attempt_at = now() + ($5::int * interval '1 millisecond') WHERE id = ANY($1)`,
        [ids, attempts, e.message.slice(0, 1000), final ? 'failed' : 'pending', delayMs],
      );
    }
  }

  private async withTx(fn: (qr: QueryRunner) => Promise<boolean>): Promise<boolean> {
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const result = await fn(qr);
      await qr.commitTransaction();
      return result;
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw err;
    } finally {
      await qr.release();
    }
  }
}
