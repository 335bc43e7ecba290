import { Column, Entity, Index, Unique } from 'typeorm';
import { PerRecipientRow } from './per-event-row.columns';

/**
 * In-app notifications: one row per (event, recipient), written in the transaction that records
 * the event, so a retried write adds nothing.
 */
@Entity('notifications')
@Unique('uq_notifications_event_user', ['eventId', 'userId'])
@Index('idx_notifications_user_unread', ['userId', 'readAt', 'id'])
export class NotificationEntity extends PerRecipientRow {
  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt: Date | null;
}
