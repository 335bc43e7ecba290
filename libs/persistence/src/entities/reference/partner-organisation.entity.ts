import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** Organisations that co-organise or co-fund activities (seeds/data/partner-organisations.json). */
@Entity('partner_organisations')
@Check(
  'chk_partner_organisations_kind',
  `kind IN ('un_entity','regional_body','international_organisation','standard_setter')`,
)
export class PartnerOrganisationEntity {
  @PrimaryColumn('varchar', { length: 30 })
  code: string;

  @Column('varchar', { length: 300 })
  name: string;

  @Column('varchar', { length: 100, name: 'name_zh', nullable: true })
  nameZh: string | null;

  @Column('varchar', { length: 30 })
  kind: string;

  @Column('text', { nullable: true })
  source: string | null;

  @Column('text', { nullable: true })
  note: string | null;
}
