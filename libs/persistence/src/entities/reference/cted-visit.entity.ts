import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MemberStateEntity } from '../member-state.entity';

/** CTED country visits that UNODC joined (seeds/data/cted-visits-with-unodc.json), unique by (year, State). */
@Entity('cted_visits_with_unodc')
export class CtedVisitEntity {
  @PrimaryColumn('int')
  year: number;

  @PrimaryColumn('char', { length: 3, name: 'member_state' })
  memberState: string;

  @ManyToOne(() => MemberStateEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'member_state',
    referencedColumnName: 'iso3',
    foreignKeyConstraintName: 'fk_cted_visits_member_state',
  })
  memberStateRef?: MemberStateEntity;

  @Column('date', { name: 'start_date', nullable: true })
  startDate: string | null;

  @Column('date', { name: 'end_date', nullable: true })
  endDate: string | null;

  @Column('varchar', { length: 60, name: 'name_zh', nullable: true })
  nameZh: string | null;

  @Column('text')
  source: string;
}
