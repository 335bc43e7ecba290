import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';

export class DecisionDto {
  @ApiPropertyOptional({ description: 'Client-chosen id; sending the same decision again applies it once. Defaults to the Idempotency-Key header.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  decisionId?: string;

  @ApiProperty({ description: 'The decision\'s payload (see the action\'s description)', example: { questions: ['Which ministry leads the drafting?'] } })
  @IsObject()
  payload: Record<string, unknown>;
}
