import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The submission exactly as the State (or CTED) filed it; the workflow is started from it. */
@Entity('request_submissions')
export class RequestSubmissionEntity {
  @PrimaryColumn('uuid', { name: 'request_id' })
  requestId: string;

  @Column('jsonb')
  body: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
