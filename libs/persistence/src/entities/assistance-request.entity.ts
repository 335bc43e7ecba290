import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DeadlineConfig, RequestState } from '@app/domain';

/** Read model of one request, written only by the workflow's activities (and the first insert at submission). */
@Entity('assistance_requests')
@Check(
  'chk_requests_stage',
  `stage IN ('cted_review','awaiting_information','external_referral','unodc_planning','awaiting_funding','delivery','follow_up_evaluation','closed')`,
)
@Check('chk_requests_outcome', `(stage = 'closed') = (outcome IS NOT NULL)`)
@Index('idx_requests_state_stage', ['memberState', 'stage'])
@Index('idx_requests_stage_due', ['stage', 'nextDeadlineAt'])
@Index('idx_requests_submitted', ['submittedAt', 'id'])
// Work queues: open requests of one owner (and, for focal points, one State), oldest deadline first.
// Text search (`q=`, ILIKE '%…%'): pg_trgm GIN indexes, created by migration ListSearchIndexes;
// TypeORM cannot declare their operator class, so it is told to leave them alone.
@Index('idx_requests_title_trgm', { synchronize: false })
@Index('idx_requests_reference_trgm', { synchronize: false })
@Index('idx_requests_work_queue', ['ownerRole', 'memberState', 'nextDeadlineAt', 'id'], { where: `stage <> 'closed'` })
// "Mine" in the work queue and the list: open requests held by one user.
@Index('idx_requests_assignee', ['assigneeId', 'nextDeadlineAt', 'id'], { where: `stage <> 'closed'` })
export class AssistanceRequestEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Index('uq_requests_reference', { unique: true })
  @Column('varchar', { length: 40 })
  reference: string;

  @Column('char', { length: 3, name: 'member_state' })
  memberState: string;

  @Column('varchar', { length: 60 })
  region: string;

  @Column('text', { array: true, name: 'thematic_areas' })
  thematicAreas: string[];

  @Column('varchar', { length: 20 })
  origin: 'member_state' | 'cted_assessment';

  @Column('varchar', { length: 200 })
  title: string;

  /** Submitted as urgent: shorter deadlines (its own deadline row), first in work queues, "urgent" in notifications. */
  @Column('boolean', { default: false })
  urgent: boolean;

  @Column('varchar', { length: 30 })
  stage: string;

  @Column('varchar', { length: 40, nullable: true })
  outcome: string | null;

  @Column('varchar', { length: 20, name: 'owner_role', nullable: true })
  ownerRole: string | null;

  /** The assignee of the body working on the request now (state.assignees keeps each body's). */
  @Column('uuid', { name: 'assignee_id', nullable: true })
  assigneeId: string | null;

  @Column('boolean', { default: false })
  overdue: boolean;

  @Column('timestamptz', { name: 'next_deadline_at', nullable: true })
  nextDeadlineAt: Date | null;

  @Column('varchar', { length: 40, name: 'next_deadline_kind', nullable: true })
  nextDeadlineKind: string | null;

  @Column('int', { name: 'last_event_seq', default: 0 })
  lastEventSeq: number;

  @Column('uuid', { name: 'submitted_by', nullable: true })
  submittedBy: string | null;

  @Column('timestamptz', { name: 'submitted_at' })
  submittedAt: Date;

  @Column('varchar', { length: 40, name: 'linked_from', nullable: true })
  linkedFrom: string | null;

  @Column('varchar', { length: 200, name: 'workflow_id' })
  workflowId: string;

  /** Full workflow state as of `lastEventSeq`, for detail views without a live worker. */
  @Column('jsonb', { nullable: true })
  state: RequestState | null;

  /**
   * The deadline configuration the request's workflow runs with (written when it is started and
   * by its every persist): `upcoming` is computed from it, never from the API's own settings.
   */
  @Column('jsonb', { name: 'deadline_config', nullable: true })
  deadlineConfig: DeadlineConfig | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
