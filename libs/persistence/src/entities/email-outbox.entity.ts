import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { PerRecipientRow } from './per-event-row.columns';

/**
 * Transactional e-mail outbox: one row per (event, recipient), written with the event. The worker
 * claims rows (FOR UPDATE SKIP LOCKED), sends, and marks them sent in the same transaction, after
 * the SMTP server's 250.
 */
@Entity('email_outbox')
@Unique('uq_email_outbox_event_user', ['eventId', 'userId'])
@Check('chk_email_outbox_status', `status IN ('pending','sent','failed','skipped')`)
@Check('chk_email_outbox_mode', `mode IN ('immediate','daily_digest')`)
@Index('idx_email_outbox_due', ['nextAttemptAt', 'id'], { where: `status = 'pending'` })
export class EmailOutboxEntity extends PerRecipientRow {
  @Column('varchar', { length: 20, default: 'immediate' })
  mode: string;

  @Column('varchar', { length: 10, default: 'pending' })
  status: string;

  @Column('int', { default: 0 })
  attempts: number;

  /** Pending rows are due from here on (backoff after a failure; the digest hour for digests). */
  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column('varchar', { length: 1000, name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('varchar', { length: 300, name: 'message_id', nullable: true })
  messageId: string | null;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;
}
