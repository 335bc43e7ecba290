import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Who started a shared (regional) activity. Temporal's REJECT_DUPLICATE only holds while the
 * closed run is retained; this row holds for ever, so one sharedKey never runs twice.
 */
@Entity('shared_activity_claims')
export class SharedActivityClaimEntity {
  @PrimaryColumn('varchar', { name: 'shared_key', length: 60 })
  sharedKey: string;

  /** The request whose workflow started the activity's workflow. */
  @Column('uuid', { name: 'request_id' })
  requestId: string;

  @Column('varchar', { length: 40 })
  reference: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'claimed_at' })
  claimedAt: Date;
}
