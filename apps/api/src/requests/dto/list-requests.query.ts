import { createZodDto } from 'nestjs-zod';
import { listRequestsQuerySchema, workQueueQuerySchema } from '@app/domain';

export class ListRequestsQuery extends createZodDto(listRequestsQuerySchema) {}
export class WorkQueueQuery extends createZodDto(workQueueQuerySchema) {}
