import { ApiProperty } from '@nestjs/swagger';

export class MemberStateDto {
  @ApiProperty({ example: 'KEN' }) iso3: string;
  @ApiProperty({ example: 'KE', description: 'ISO 3166 alpha-2: clients localise the name with Intl.DisplayNames' })
  iso2: string;
  @ApiProperty({ example: 'Kenya', description: 'English short name' }) name: string;
  @ApiProperty({ example: 'Africa' }) region: string;
  @ApiProperty({ example: 'Sub-Saharan Africa' }) subregion: string;
}

export class RegionDto {
  @ApiProperty({ example: 'Africa' }) name: string;
  @ApiProperty({ type: [String], example: ['Northern Africa', 'Sub-Saharan Africa'] }) subregions: string[];
}

export class CodeNameDto {
  @ApiProperty({ example: 'legislative_incorporation' }) code: string;
  @ApiProperty({ example: 'Legislative incorporation of the universal instruments' }) name: string;
}

export class ModalityDto extends CodeNameDto {
  @ApiProperty({ example: 'national' }) level: string;
}

export class InstrumentDto {
  @ApiProperty({ example: '2005-NUCLEAR-TERRORISM' }) code: string;
  @ApiProperty({ example: 'Nuclear Terrorism Convention' }) shortTitle: string;
  @ApiProperty({ example: 'International Convention for the Suppression of Acts of Nuclear Terrorism' }) title: string;
  @ApiProperty({ example: 2005 }) year: number;
}

export class OrganisationDto extends CodeNameDto {
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Chinese name where the source gives one' })
  nameZh: string | null;
  @ApiProperty({ example: 'state' }) kind: string;
}

export class ReferenceDataDto {
  @ApiProperty({ type: [MemberStateDto] }) memberStates: MemberStateDto[];
  @ApiProperty({ type: [RegionDto] }) regions: RegionDto[];
  @ApiProperty({ type: [CodeNameDto] }) thematicAreas: CodeNameDto[];
  @ApiProperty({ type: [ModalityDto] }) modalities: ModalityDto[];
  @ApiProperty({ type: [InstrumentDto] }) instruments: InstrumentDto[];
  @ApiProperty({ type: [OrganisationDto] }) partners: OrganisationDto[];
  @ApiProperty({ type: [OrganisationDto] }) donors: OrganisationDto[];
  @ApiProperty({
    type: [String],
    example: ['judge', 'prosecutor'],
    description: "The professions a delivery report counts officials by (its officialsTrainedByProfession's keys)",
  })
  professions: string[];
}
