import { createZodDto } from 'nestjs-zod';
import { listRequestsQuerySchema, workQueueCountsQuerySchema, workQueueQuerySchema } from '@app/domain';

export class ListRequestsQuery extends createZodDto(listRequestsQuerySchema) {}
export class WorkQueueQuery extends createZodDto(workQueueQuerySchema) {}
export class WorkQueueCountsQuery extends createZodDto(workQueueCountsQuerySchema) {}
