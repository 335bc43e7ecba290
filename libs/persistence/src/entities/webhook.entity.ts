import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { PerEventRow } from './per-event-row.columns';

/** An administrator's subscription of another system to CTAP events. */
@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar', { length: 2000 })
  url: string;

  /** CTAP event types (e.g. submitted, closed), or '*' for all. */
  @Column('varchar', { length: 60, array: true, name: 'event_types' })
  eventTypes: string[];

  /** Standard Webhooks secret (whsec_…); shown once, at creation. */
  @Column('varchar', { length: 200 })
  secret: string;

  /** When set, only events of requests of this State are delivered. */
  @Column('char', { length: 3, name: 'member_state', nullable: true })
  memberState: string | null;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('varchar', { length: 300, name: 'disabled_reason', nullable: true })
  disabledReason: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/**
 * One event to deliver to one subscription, written with the event. Delivered in event order per
 * (subscription, request): a later one waits while an earlier one is pending.
 */
@Entity('webhook_deliveries')
@Unique('uq_webhook_deliveries_sub_event', ['subscriptionId', 'eventId'])
@Check('chk_webhook_deliveries_status', `status IN ('pending','delivered','failed')`)
@Index('idx_webhook_deliveries_due', ['nextAttemptAt', 'id'], { where: `status = 'pending'` })
@Index('idx_webhook_deliveries_order', ['subscriptionId', 'requestId', 'eventId'])
export class WebhookDeliveryEntity extends PerEventRow {
  @Column('uuid', { name: 'subscription_id' })
  subscriptionId: string;

  @Column('varchar', { length: 10, default: 'pending' })
  status: string;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column('int', { name: 'last_status_code', nullable: true })
  lastStatusCode: number | null;

  @Column('varchar', { length: 1000, name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;
}

/** Every attempt of a delivery: the delivery log administrators read. */
@Entity('webhook_delivery_attempts')
@Index('idx_webhook_delivery_attempts_delivery', ['deliveryId', 'id'])
export class WebhookDeliveryAttemptEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column('bigint', { name: 'delivery_id' })
  deliveryId: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'attempted_at' })
  attemptedAt: Date;

  @Column('int', { name: 'status_code', nullable: true })
  statusCode: number | null;

  @Column('varchar', { length: 1000, nullable: true })
  error: string | null;

  @Column('int', { name: 'duration_ms' })
  durationMs: number;

  @Column('boolean', { default: false })
  replay: boolean;
}
