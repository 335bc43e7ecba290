import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MODALITY_CODES, Role, Stage, THEMATIC_AREAS } from '@app/domain';

export class ListRequestsQuery {
  @ApiPropertyOptional({ enum: Stage }) @IsOptional() @IsIn(Object.values(Stage)) stage?: Stage;
  @ApiPropertyOptional({ example: 'KEN' }) @IsOptional() @Matches(/^[A-Z]{3}$/) memberState?: string;
  @ApiPropertyOptional({ example: 'Africa' }) @IsOptional() @IsString() @MaxLength(60) region?: string;
  @ApiPropertyOptional({ enum: THEMATIC_AREAS })
  @IsOptional()
  @IsIn(THEMATIC_AREAS as unknown as string[])
  thematicArea?: string;
  @ApiPropertyOptional({ enum: MODALITY_CODES }) @IsOptional() @IsIn(MODALITY_CODES) modality?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
  @ApiPropertyOptional({ enum: [Role.CtedOfficer, Role.UnodcManager, Role.MemberState] })
  @IsOptional()
  @IsIn([Role.CtedOfficer, Role.UnodcManager, Role.MemberState])
  owner?: string;
  @ApiPropertyOptional({ enum: ['member_state', 'cted_assessment'] })
  @IsOptional()
  @IsIn(['member_state', 'cted_assessment'])
  origin?: string;
  @ApiPropertyOptional({ enum: ['newest', 'oldest'], default: 'newest', description: 'By submission time' })
  @IsOptional()
  @IsIn(['newest', 'oldest'])
  sort?: 'newest' | 'oldest';
  @ApiPropertyOptional({ example: '2026-01-01' }) @IsOptional() @IsISO8601() submittedFrom?: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsOptional() @IsISO8601() submittedTo?: string;
  @ApiPropertyOptional({ description: 'Text searched in title and reference' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
  @ApiPropertyOptional({ default: 25, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class WorkQueueQuery {
  @ApiPropertyOptional({ description: 'Only overdue (true) or only on-time (false) requests' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ default: 25, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (`nextCursor`)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
