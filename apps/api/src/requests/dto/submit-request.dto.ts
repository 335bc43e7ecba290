import { createZodDto } from 'nestjs-zod';
import { submitRequestSchema } from '@app/domain';

export class SubmitRequestDto extends createZodDto(submitRequestSchema) {}
