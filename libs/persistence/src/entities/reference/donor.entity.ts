import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MemberStateEntity } from '../member-state.entity';

/** Donors to the TPB technical-assistance projects (seeds/data/donors.json, report 000 annex). */
@Entity('donors')
@Check('chk_donors_kind', `kind IN ('state','organisation')`)
@Check('chk_donors_state_scope', `(kind = 'state') = (member_state IS NOT NULL)`)
export class DonorEntity {
  /** ISO3 for a State, the partner code for an organisation. */
  @PrimaryColumn('varchar', { length: 20 })
  code: string;

  @Column('varchar', { length: 120 })
  name: string;

  @Column('varchar', { length: 60, name: 'name_zh', nullable: true })
  nameZh: string | null;

  @Column('varchar', { length: 20 })
  kind: string;

  @Column('char', { length: 3, name: 'member_state', nullable: true })
  memberState: string | null;

  @ManyToOne(() => MemberStateEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'member_state',
    referencedColumnName: 'iso3',
    foreignKeyConstraintName: 'fk_donors_member_state',
  })
  memberStateRef?: MemberStateEntity;

  /** The row total printed in the annex (paid and pledged as at 31 December 2009); null for donors outside it. */
  @Column('bigint', { name: 'annex_total_usd', nullable: true })
  annexTotalUsd: string | null;
}
