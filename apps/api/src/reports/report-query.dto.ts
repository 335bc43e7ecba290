import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches, ValidateBy, ValidationArguments } from 'class-validator';

/** A calendar date YYYY-MM-DD between 1900 and 2999 (IsISO8601 strict rejects 2031-02-30). */
const DATE = /^(19|2\d)\d{2}-\d{2}-\d{2}$/;

/** `to` must not be before `from` (both are YYYY-MM-DD, so they compare as strings). */
function NotBefore(property: string) {
  return ValidateBy({
    name: 'notBefore',
    constraints: [property],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const other = (args?.object as Record<string, unknown>)[property];
        return typeof value !== 'string' || typeof other !== 'string' || value >= other;
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must not be before ${property}`,
    },
  });
}

export class ReportQuery {
  @ApiPropertyOptional({
    example: '2031-01-01',
    description: 'First day of the period (inclusive, UTC); unbounded when absent',
  })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD between 1900 and 2999' })
  @IsISO8601({ strict: true }, { message: 'from must be a valid calendar date' })
  from?: string;

  @ApiPropertyOptional({
    example: '2031-12-31',
    description: 'Last day of the period (inclusive, UTC); unbounded when absent',
  })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD between 1900 and 2999' })
  @IsISO8601({ strict: true }, { message: 'to must be a valid calendar date' })
  @NotBefore('from')
  to?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** For operations without parameters: any query parameter is refused (400), like unknown body fields. */
export class NoQuery {}
