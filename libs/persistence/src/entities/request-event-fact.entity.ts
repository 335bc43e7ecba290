import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A fact an event-based report counts, with its request's reference and State: a ratification,
 * a law or officials trained (`record_indicators`, outcomes), a pledge (`record_funding`,
 * contributions), a missed deadline (`overdue`, `referral_overdue`, deadlines-missed). Kept by
 * triggers on request_events and assistance_requests in the same transaction as the events
 * (migration RequestEventFacts); bulk loads use withoutReadModelTriggers (report-read-models.ts).
 */
@Entity('request_event_facts')
@Index('idx_request_event_facts_request', ['requestId'])
@Index('idx_request_event_facts_kind_time', ['kind', 'occurredAt'])
@Index('idx_request_event_facts_state', ['memberState', 'kind', 'occurredAt'])
export class RequestEventFactEntity {
  /** The event the fact was recorded by. */
  @PrimaryColumn('bigint', { name: 'event_id', primaryKeyConstraintName: 'PK_request_event_facts' })
  eventId: string;

  /** ratification, law, trained, funding or missed. */
  @PrimaryColumn('varchar', { length: 20, primaryKeyConstraintName: 'PK_request_event_facts' })
  kind: string;

  /** Position in the event's list (ratifications, laws); 1 otherwise. */
  @PrimaryColumn('int', { primaryKeyConstraintName: 'PK_request_event_facts' })
  ord: number;

  @Column('uuid', { name: 'request_id' })
  requestId: string;

  @Column('varchar', { length: 40 })
  reference: string;

  @Column('char', { name: 'member_state', length: 3 })
  memberState: string;

  /** When the event was recorded. */
  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  /** The instrument (ratification), the status (law), the donor as written (funding), the stage (missed). */
  @Column('text', { nullable: true })
  key: string | null;

  /** The fact's own date as written (depositedOn, a law's date), or the pledge's reference (funding). */
  @Column('text', { name: 'fact_on', nullable: true })
  factOn: string | null;

  /** Officials trained. */
  @Column('bigint', { nullable: true })
  n: string | null;

  /** The pledge's amountUsd as written. */
  @Column('text', { nullable: true })
  amount: string | null;

  /** A pledge whose pledgeRef the request records more than once (the domain refuses it). */
  @Column('boolean', { default: false })
  dup: boolean;
}
