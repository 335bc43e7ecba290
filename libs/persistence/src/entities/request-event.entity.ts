import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * Append-only event log: one row per decision or timer event. (stream, seq) makes a retried
 * activity write nothing twice; `hash` chains each row to the previous one of its stream.
 */
@Entity('request_events')
@Check('chk_request_events_seq', `seq > 0`)
@Unique('uq_request_events_stream_seq', ['stream', 'seq'])
@Index('idx_request_events_request', ['requestId', 'occurredAt'])
@Index('idx_request_events_type_time', ['type', 'occurredAt'])
export class RequestEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'request_id' })
  requestId: string;

  @Column('varchar', { length: 200 })
  stream: string;

  @Column('int')
  seq: number;

  @Column('varchar', { length: 60 })
  type: string;

  @Column('varchar', { length: 100, name: 'actor_user_id' })
  actorUserId: string;

  @Column('varchar', { length: 20, name: 'actor_role' })
  actorRole: string;

  @Column('char', { length: 3, name: 'actor_member_state', nullable: true })
  actorMemberState: string | null;

  @Column('varchar', { length: 200, name: 'decision_id', nullable: true })
  decisionId: string | null;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Column('jsonb')
  payload: Record<string, unknown>;

  @Column('char', { length: 64, name: 'prev_hash' })
  prevHash: string;

  @Column('char', { length: 64 })
  hash: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' })
  recordedAt: Date;
}
