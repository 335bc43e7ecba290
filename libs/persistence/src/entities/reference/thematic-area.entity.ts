import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The reports' thematic areas (seeds/data/thematic-areas.json); codes equal THEMATIC_AREAS in @app/domain. */
@Entity('thematic_areas')
export class ThematicAreaEntity {
  @PrimaryColumn('varchar', { length: 60 })
  code: string;

  @Column('varchar', { length: 200 })
  name: string;

  @Column('text')
  description: string;

  @Column('text', { nullable: true })
  source: string | null;
}
