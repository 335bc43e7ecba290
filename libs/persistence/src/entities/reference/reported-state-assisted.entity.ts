import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * States a report lists as given direct assistance in a year (seeds/data/states-assisted-2009.json:
 * report 000 §7, 65 States in 2009). No foreign key to member_states: the list includes the Cook
 * Islands, which is not a UN Member State.
 */
@Entity('reported_states_assisted')
export class ReportedStateAssistedEntity {
  @PrimaryColumn('int')
  year: number;

  @PrimaryColumn('char', { length: 3 })
  iso3: string;

  /** Position in the report's own list (1-based). */
  @Column('int')
  position: number;

  @Column('varchar', { length: 120 })
  name: string;

  @Column('varchar', { length: 60, name: 'name_zh', nullable: true })
  nameZh: string | null;

  @Column('boolean', { name: 'un_member', default: true })
  unMember: boolean;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('text')
  source: string;
}
