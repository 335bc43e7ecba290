import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Delivery modalities (seeds/data/delivery-modalities.json); codes equal MODALITIES in @app/domain.
 * `level` is the form of delivery, `reportingLevel` the level reports count the activity under.
 */
@Entity('delivery_modalities')
@Check(
  'chk_delivery_modalities_level',
  `level IN ('remote','national','bilateral','subregional','regional','international','online')`,
)
@Check(
  'chk_delivery_modalities_reporting_level',
  `reporting_level IN ('national','subregional','regional','international')`,
)
export class DeliveryModalityEntity {
  @PrimaryColumn('varchar', { length: 60 })
  code: string;

  @Column('varchar', { length: 200 })
  name: string;

  @Column('varchar', { length: 20 })
  level: string;

  @Column('varchar', { length: 20, name: 'reporting_level' })
  reportingLevel: string;

  @Column('text', { nullable: true })
  source: string | null;
}
