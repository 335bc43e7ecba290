import type { DataSource } from 'typeorm';
import { Queryable } from './sql';

/** A due e-mail with its recipient. */
export interface EmailOutboxRow {
  /** bigint as text. */
  id: string;
  event_id: string;
  user_id: string;
  kind: string;
  reference: string;
  params: Record<string, unknown>;
  attempts: number;
  email: string;
  preferred_language: string | null;
  /** The recipient's account is active. */
  active: boolean;
}

const DUE_COLUMNS = `o.id::text AS id, o.event_id::text AS event_id, o.user_id, o.kind, o.reference, o.params, o.attempts,
                     u.email, u.preferred_language, u.active`;

export const EMAIL_OUTBOX_SQL = {
  /** The oldest due immediate message, locked; a row another worker holds is skipped. */
  nextImmediate: `SELECT ${DUE_COLUMNS}
                    FROM email_outbox o JOIN users u ON u.id = o.user_id
                   WHERE o.status = 'pending' AND o.mode = 'immediate' AND o.next_attempt_at <= now()
                   ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED`,
  /** One user's due digest items (the user of the oldest), locked. */
  nextDigest: `SELECT ${DUE_COLUMNS}
                 FROM email_outbox o JOIN users u ON u.id = o.user_id
                WHERE o.status = 'pending' AND o.mode = 'daily_digest' AND o.next_attempt_at <= now()
                  AND o.user_id = (SELECT user_id FROM email_outbox WHERE status = 'pending' AND mode = 'daily_digest'
                                    AND next_attempt_at <= now() ORDER BY id LIMIT 1)
                ORDER BY o.id LIMIT 200 FOR UPDATE OF o SKIP LOCKED`,
  skip: `UPDATE email_outbox SET status = 'skipped', last_error = $2 WHERE id = ANY($1)`,
  sent: `UPDATE email_outbox SET status = 'sent', sent_at = now(), message_id = $2 WHERE id = ANY($1)`,
  failed: `UPDATE email_outbox SET attempts = $2, last_error = $3, status = $4,
                  next_attempt_at = now() + ($5::int * interval '1 millisecond') WHERE id = ANY($1)`,
} as const;

/** The statements of one sending, inside the transaction that holds the rows' locks. */
export class EmailOutboxBatch {
  constructor(private readonly tx: Queryable) {}

  async nextImmediate(): Promise<EmailOutboxRow | undefined> {
    const [row] = await this.tx.query(EMAIL_OUTBOX_SQL.nextImmediate);
    return row;
  }

  nextDigest(): Promise<EmailOutboxRow[]> {
    return this.tx.query(EMAIL_OUTBOX_SQL.nextDigest);
  }

  async skip(ids: string[], reason: string): Promise<void> {
    await this.tx.query(EMAIL_OUTBOX_SQL.skip, [ids, reason]);
  }

  async sent(ids: string[], messageId: string): Promise<void> {
    await this.tx.query(EMAIL_OUTBOX_SQL.sent, [ids, messageId]);
  }

  /** Records a failed attempt: retried after `retryInMs`, or given up (`final`). */
  async failed(ids: string[], attempts: number, error: string, final: boolean, retryInMs: number): Promise<void> {
    await this.tx.query(EMAIL_OUTBOX_SQL.failed, [
      ids,
      attempts,
      error.slice(0, 1000),
      final ? 'failed' : 'pending',
      retryInMs,
    ]);
  }
}

/** The e-mail outbox (written with the events by notification-outbox.ts), as the dispatcher sends it. */
export class EmailOutboxRepository {
  constructor(private readonly ds: DataSource) {}

  /** Runs `fn` in one transaction: rows it reads stay locked until it returns, then all it marked commits. */
  batch<T>(fn: (batch: EmailOutboxBatch) => Promise<T>): Promise<T> {
    return this.ds.transaction((tx) => fn(new EmailOutboxBatch(tx)));
  }
}
