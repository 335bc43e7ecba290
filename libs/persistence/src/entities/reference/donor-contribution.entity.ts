import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DonorEntity } from './donor.entity';

/**
 * One non-empty cell of the donor annex of report 000: a donor's contribution in a year, unique by
 * (donor, year). The printed column "1999-2002" is year 1999 with period_end 2002.
 */
@Entity('donor_contributions')
@Check('chk_donor_contributions_amount', `amount_usd > 0`)
@Check('chk_donor_contributions_period', `period_end IS NULL OR period_end > year`)
export class DonorContributionEntity {
  @PrimaryColumn('varchar', { length: 20 })
  donor: string;

  @ManyToOne(() => DonorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'donor', referencedColumnName: 'code', foreignKeyConstraintName: 'fk_donor_contributions_donor' })
  donorRef?: DonorEntity;

  @PrimaryColumn('int')
  year: number;

  @Column('int', { name: 'period_end', nullable: true })
  periodEnd: number | null;

  @Column('bigint', { name: 'amount_usd' })
  amountUsd: string;

  /** The annex marks the 2008 column "a": it includes pledges not yet finalized. */
  @Column('boolean', { name: 'includes_unfinalized_pledges', default: false })
  includesUnfinalizedPledges: boolean;

  @Column('text')
  source: string;
}
