import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * In-app notifications: one row per (event, recipient), written in the transaction that records
 * the event, so a retried write adds nothing.
 */
@Entity('notifications')
@Unique('uq_notifications_event_user', ['eventId', 'userId'])
@Index('idx_notifications_user_unread', ['userId', 'readAt', 'id'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column('bigint', { name: 'event_id' })
  eventId: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('uuid', { name: 'request_id' })
  requestId: string;

  @Column('varchar', { length: 60 })
  reference: string;

  @Column('varchar', { length: 40 })
  kind: string;

  @Column('jsonb', { default: {} })
  params: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt: Date | null;
}
