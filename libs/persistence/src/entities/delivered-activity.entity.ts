import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A delivered activity (one `delivery_activities` row with status delivered) as the delivery
 * reports read it: narrow, with its request's State and region, its modality and its drill-down
 * item. Kept by triggers on delivery_activities, assistance_requests and request_events in the
 * same transaction as the writes it depends on (migration DeliveredActivities); bulk loads use
 * withoutReadModelTriggers (report-read-models.ts) instead.
 */
@Entity('delivered_activities')
@Index('idx_delivered_activities_on', ['deliveredOn'])
@Index('idx_delivered_activities_state', ['memberState', 'deliveredOn'])
@Index('idx_delivered_activities_ref', ['activityRef'])
export class DeliveredActivityEntity {
  @PrimaryColumn('uuid', { name: 'request_id', primaryKeyConstraintName: 'PK_delivered_activities' })
  requestId: string;

  @PrimaryColumn('varchar', { length: 80, primaryKeyConstraintName: 'PK_delivered_activities' })
  key: string;

  /** Shared by every row of one activity (a shared activity has one row per linked request). */
  @Column('text', { name: 'activity_ref' })
  activityRef: string;

  @Column('varchar', { length: 40 })
  reference: string;

  /** The requesting State (null only if the request's row is missing). */
  @Column('char', { name: 'member_state', length: 3, nullable: true })
  memberState: string | null;

  @Column('varchar', { length: 60, nullable: true })
  region: string | null;

  /** The delivery report's deliveredOn (YYYY-MM-DD). */
  @Column('text', { name: 'delivered_on', nullable: true })
  deliveredOn: string | null;

  /** From the activity's activity_scheduled event (seq 1 of its stream); 'unknown' without one. */
  @Column('text')
  modality: string;

  /** The States of the report's participantsByState with a positive count, and those counts. */
  @Column('text', { name: 'participant_states', array: true })
  participantStates: string[];

  @Column('bigint', { array: true })
  participants: string[];

  /** The professions of the report's officialsTrainedByProfession with a positive count, and those counts. */
  @Column('text', { array: true })
  professions: string[];

  @Column('bigint', { array: true })
  officials: string[];

  /** The drill-down item (reference and activity key), compared bytewise. */
  @Column({ type: 'text', collation: 'C' })
  item: string;
}
