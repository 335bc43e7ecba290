import { Column, CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The columns of every row written once per event and per recipient or subscriber, in the
 * transaction that records the event (notification-outbox.ts): the tables list their own on top.
 */
export abstract class PerEventRow {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column('bigint', { name: 'event_id' })
  eventId: string;

  @Column('uuid', { name: 'request_id' })
  requestId: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/** A notice of an event to one user (in the application, or by e-mail). */
export abstract class PerRecipientRow extends PerEventRow {
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('varchar', { length: 60 })
  reference: string;

  @Column('varchar', { length: 40 })
  kind: string;

  @Column('jsonb', { default: {} })
  params: Record<string, unknown>;
}
