import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MODALITY_CODES, THEMATIC_AREAS } from '@app/domain';

export class NeedDto {
  @ApiProperty({ enum: THEMATIC_AREAS, example: 'legislative_incorporation' })
  @IsIn(THEMATIC_AREAS as unknown as string[])
  thematicArea: string;

  @ApiProperty({ example: 'Review the draft counter-terrorism bill against the 19 universal instruments' })
  @IsString()
  @Length(5, 4000)
  description: string;

  @ApiProperty({ enum: MODALITY_CODES, isArray: true, example: ['national_legislative_drafting_workshop'] })
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(MODALITY_CODES, { each: true })
  modalities: string[];
}

export class ConsentDto {
  @ApiProperty({ example: 'Permanent Mission of Kenya, Vienna' })
  @IsString()
  @Length(2, 200)
  grantedBy: string;

  @ApiProperty({ example: '2026-10-02' })
  @IsISO8601({ strict: true })
  grantedAt: string;

  @ApiProperty({ example: 'Needs identified in the 2026 country assessment visit, legislative and judicial areas' })
  @IsString()
  @Length(5, 1000)
  scope: string;
}

export class SubmitRequestDto {
  @ApiProperty({ example: 'Legislative assistance to incorporate the universal instruments' })
  @IsString()
  @Length(5, 200)
  title: string;

  @ApiPropertyOptional({
    description:
      "ISO 3166 alpha-3. Required when CTED files on a State's behalf; a focal point files for its own State.",
    example: 'KEN',
  })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'memberState must be an ISO 3166 alpha-3 code' })
  memberState?: string;

  @ApiProperty({ type: [NeedDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => NeedDto)
  needs: NeedDto[];

  @ApiProperty({ enum: ['routine', 'urgent'], example: 'routine' })
  @IsIn(['routine', 'urgent'])
  urgency: 'routine' | 'urgent';

  @ApiPropertyOptional({
    description: 'Required when CTED opens the request from an assessment finding',
    type: ConsentDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;

  @ApiPropertyOptional({ example: 'CTED/PIA/KEN/2026' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  assessmentRef?: string;
}
