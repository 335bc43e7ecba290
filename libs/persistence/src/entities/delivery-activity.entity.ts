import { Check, Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Read model of one delivery activity (workshop, advice, course), kept by its child workflow. */
@Entity('delivery_activities')
@Check('chk_delivery_activities_status', `status IN ('scheduled','delivered','cancelled')`)
@Index('idx_delivery_activities_status', ['status', 'startDate'])
@Index('idx_delivery_activities_activity_ref', ['activityRef'])
export class DeliveryActivityEntity {
  @PrimaryColumn('uuid', { name: 'request_id' })
  requestId: string;

  @PrimaryColumn('varchar', { length: 80 })
  key: string;

  @Column('varchar', { length: 40 })
  reference: string;

  /**
   * The activity itself: `<reference>/<key>` for an ordinary activity, `shared/<sharedKey>` for a
   * shared (regional) one, which has one row per linked request. Reports count distinct values.
   */
  @Column('text', { name: 'activity_ref' })
  activityRef: string;

  @Column('varchar', { length: 20 })
  status: string;

  @Column('date', { name: 'start_date' })
  startDate: string;

  @Column('date', { name: 'end_date' })
  endDate: string;

  @Column('varchar', { length: 200 })
  place: string;

  @Column('int', { default: 0 })
  reschedules: number;

  @Column('jsonb', { nullable: true })
  report: Record<string, unknown> | null;

  @Column('int', { name: 'last_event_seq', default: 0 })
  lastEventSeq: number;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
