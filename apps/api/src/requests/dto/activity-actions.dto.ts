import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional } from 'class-validator';
import { PROFESSIONS } from '@app/domain';
import { IsCountMap, IsDateOnly, IsText, IsTextEach } from '../../common/validators';
import { DecisionBaseDto } from './decision-payloads.dto';

export class ReportDeliveredDto extends DecisionBaseDto {
  @ApiProperty({ example: '2027-03-03', format: 'date' })
  @IsDateOnly()
  deliveredOn: string;

  @ApiPropertyOptional({ example: 'Mombasa', maxLength: 200, description: 'Where it took place, if not where planned' })
  @IsOptional()
  @IsText(200)
  place?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    example: { KEN: 25 },
    description: 'Participants per participating State (ISO 3166 alpha-3)',
  })
  @IsCountMap(/^[A-Z]{3}$/, 60)
  participantsByState: Record<string, number>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    example: { judge: 10, prosecutor: 12 },
    description: `Officials trained per profession: ${PROFESSIONS.join(', ')}`,
  })
  @IsCountMap(PROFESSIONS, PROFESSIONS.length)
  officialsTrainedByProfession: Record<string, number>;

  @ApiProperty({
    type: [String],
    example: ['Revised draft Prevention of Terrorism (Amendment) Bill'],
    description: 'Outputs such as draft laws or compilations',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsTextEach(500)
  outputs: string[];
}

export class RescheduleActivityDto extends DecisionBaseDto {
  @ApiProperty({ example: '2027-04-12', format: 'date' })
  @IsDateOnly()
  startDate: string;

  @ApiProperty({ example: '2027-04-14', format: 'date', description: 'Not before startDate' })
  @IsDateOnly()
  endDate: string;

  @ApiPropertyOptional({ example: 'Mombasa', maxLength: 200 })
  @IsOptional()
  @IsText(200)
  place?: string;

  @ApiProperty({ example: 'The Parliament sits in the first week of March' })
  @IsText(4000)
  reason: string;
}

export class CancelActivityDto extends DecisionBaseDto {
  @ApiProperty({ example: 'The online course replaces this workshop' })
  @IsText(4000)
  reason: string;
}
