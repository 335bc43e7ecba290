import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One stay of a request in a stage, ended by a stage_changed event: written by a trigger on
 * request_events in the same transaction as that event (migration StageStays), so the
 * `stage-times` report reads an index range instead of re-deriving stays from the whole log.
 * A stay runs from the previous submitted or stage_changed event of the request's stream. Bulk
 * loads use withoutReadModelTriggers (report-read-models.ts) instead of the trigger.
 */
@Entity('request_stage_stays')
@Index('idx_request_stage_stays_left', ['leftAt', 'stage', 'enteredAt', 'reference'])
// stage-times' median over every State: (stage, stage_stay_bin(entered_at, left_at), left_at -
// entered_at), an expression index created by migration ReportSummaries; TypeORM cannot declare it,
// so it is told to leave it alone.
@Index('idx_request_stage_stays_bin', { synchronize: false })
export class RequestStageStayEntity {
  @PrimaryColumn('uuid', { name: 'request_id' })
  requestId: string;

  /** seq of the stage_changed event that ended the stay. */
  @PrimaryColumn('int')
  seq: number;

  /** The request's reference (NULL only if neither its row nor its submitted event is found). */
  @Column('varchar', { length: 40, nullable: true })
  reference: string | null;

  /** The stage left (the event's payload.from). */
  @Column('varchar', { length: 30, nullable: true })
  stage: string | null;

  @Column('timestamptz', { name: 'entered_at' })
  enteredAt: Date;

  @Column('timestamptz', { name: 'left_at' })
  leftAt: Date;
}
