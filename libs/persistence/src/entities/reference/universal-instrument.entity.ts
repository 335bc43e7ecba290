import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The 19 universal counter-terrorism instruments (seeds/data/universal-instruments.json). */
@Entity('universal_instruments')
@Check('chk_universal_instruments_year', `year BETWEEN 1900 AND 2100`)
export class UniversalInstrumentEntity {
  /** Natural key, e.g. `1999-FINANCING`; record_indicators ratifications name instruments by it. */
  @PrimaryColumn('varchar', { length: 40 })
  code: string;

  @Column('varchar', { length: 120, name: 'short_title' })
  shortTitle: string;

  @Column('varchar', { length: 300 })
  title: string;

  @Column('int')
  year: number;

  @Column('date', { name: 'adopted_at', nullable: true })
  adoptedAt: string | null;

  @Column('varchar', { length: 120, nullable: true })
  place: string | null;

  @Column('varchar', { length: 200 })
  depositary: string;

  @Column('varchar', { length: 30, name: 'depositary_body', nullable: true })
  depositaryBody: string | null;

  @Column('varchar', { length: 30, nullable: true })
  category: string | null;

  @Column('boolean', { name: 'in_force' })
  inForce: boolean;

  @Column('date', { name: 'entry_into_force', nullable: true })
  entryIntoForce: string | null;

  @Column('boolean', { name: 'counted_in_2009_report', default: false })
  countedIn2009Report: boolean;

  @Column('boolean', { name: 'counted_in_2013_report', default: false })
  countedIn2013Report: boolean;

  @Column('text', { nullable: true })
  note: string | null;
}
