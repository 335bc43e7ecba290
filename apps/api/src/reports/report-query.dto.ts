import { ApiProperty } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { noQuerySchema, reportQuerySchema } from '@app/domain';
import { ValidationPipe } from '../common/validation';

export class ReportQuery extends createZodDto(reportQuerySchema) {}

/**
 * For operations without parameters: any query parameter is refused (400), like unknown body
 * fields. A pipe rather than a DTO: an object without properties cannot be an OpenAPI parameter.
 */
export const NO_QUERY = new ValidationPipe(noQuerySchema);

export class ReportEntryDto {
  @ApiProperty({ example: 'states-assisted' }) report: string;
  @ApiProperty({ example: 'States assisted' }) title: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: '/api/v1/reports/states-assisted' }) path: string;
}

export class ReportCatalogueDto {
  @ApiProperty({ type: [ReportEntryDto] }) items: ReportEntryDto[];
}
