import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One referral made by a `refer_needs` decision and how far it went, as the `referral-funnel`
 * report counts it (docs/REPORTS.md). Kept by triggers on request_events, assistance_requests and
 * delivery_activities in the same transaction as the writes it depends on (migration
 * RequestReferrals); bulk loads use withoutReadModelTriggers (report-read-models.ts) instead.
 */
@Entity('request_referrals')
@Index('idx_request_referrals_request', ['requestId'])
@Index('idx_request_referrals_referred', ['referredAt'])
@Index('idx_request_referrals_provider_item', ['providerKind', 'provider', 'item'])
@Index('idx_request_referrals_item', ['item'])
@Index('idx_request_referrals_state_item', ['memberState', 'item'])
export class RequestReferralEntity {
  /** The refer_needs event. */
  @PrimaryColumn('bigint', { name: 'event_id', primaryKeyConstraintName: 'PK_request_referrals' })
  eventId: string;

  /** Position of the referral in the event's list (1-based). */
  @PrimaryColumn('int', { primaryKeyConstraintName: 'PK_request_referrals' })
  ord: number;

  @Column('uuid', { name: 'request_id' })
  requestId: string;

  /** ref-N, numbered across all refer_needs decisions of the request, in order. */
  @Column('varchar', { name: 'referral_id', length: 20 })
  referralId: string;

  @Column('varchar', { length: 40 })
  reference: string;

  @Column('char', { name: 'member_state', length: 3 })
  memberState: string;

  /** When the refer_needs decision was recorded. */
  @Column('timestamptz', { name: 'referred_at' })
  referredAt: Date;

  /** unodc_tpb or external. */
  @Column('varchar', { name: 'provider_kind', length: 20 })
  providerKind: string;

  /** UNODC TPB, or the external provider's name. */
  @Column('text')
  provider: string;

  /** UNODC: the request has an approved plan; null for an external provider. */
  @Column('boolean', { nullable: true })
  planned: boolean | null;

  @Column('boolean', { nullable: true })
  delivered: boolean | null;

  @Column('boolean', { name: 'outcome_recorded', nullable: true })
  outcomeRecorded: boolean | null;

  /** The drill-down item (reference, referral id and the three flags), compared bytewise. */
  @Column({ type: 'text', collation: 'C' })
  item: string;
}
