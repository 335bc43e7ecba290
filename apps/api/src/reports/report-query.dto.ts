import { createZodDto } from 'nestjs-zod';
import { noQuerySchema, reportQuerySchema } from '@app/domain';

export class ReportQuery extends createZodDto(reportQuerySchema) {}

/** For operations without parameters: any query parameter is refused (400), like unknown body fields. */
export class NoQuery extends createZodDto(noQuerySchema) {}
