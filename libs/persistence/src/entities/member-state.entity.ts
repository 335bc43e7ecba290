import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('member_states')
export class MemberStateEntity {
  @PrimaryColumn('char', { length: 3 })
  iso3: string;

  @Column('char', { length: 2 })
  iso2: string;

  @Column('varchar', { length: 120 })
  name: string;

  @Column('char', { length: 3 })
  m49: string;

  @Column('varchar', { length: 60 })
  region: string;

  @Column('varchar', { length: 60 })
  subregion: string;
}
