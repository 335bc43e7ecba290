import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { createWebhookSchema, eventFeedQuerySchema, listDeliveriesQuerySchema, updateWebhookSchema } from '@app/domain';

export class CreateWebhookDto extends createZodDto(createWebhookSchema) {}

export class UpdateWebhookDto extends createZodDto(updateWebhookSchema) {}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ example: ['submitted', 'closed'] }) eventTypes: string[];
  @ApiProperty({ type: String, nullable: true }) memberState: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why CTAP disabled it' }) disabledReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ description: 'Only in the answer to the creation' }) secret?: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items: WebhookDto[];
}

export class DeliveryAttemptDto {
  @ApiProperty() attemptedAt: string;
  @ApiProperty({ type: Number, nullable: true }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty() durationMs: number;
  @ApiProperty() replay: boolean;
}

export class DeliveryDto {
  @ApiProperty({ example: '17' }) id: string;
  @ApiProperty({ example: '1234', description: 'CTAP event id (also the webhook-id, evt_<id>)' }) eventId: string;
  @ApiProperty() eventType: string;
  @ApiProperty() reference: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) deliveredAt: string | null;
  @ApiProperty({ type: [DeliveryAttemptDto] }) log: DeliveryAttemptDto[];
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) items: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ListDeliveriesQuery extends createZodDto(listDeliveriesQuerySchema) {}

export class EventFeedQuery extends createZodDto(eventFeedQuerySchema) {}

export class EventFeedDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'CloudEvents 1.0 (JSON), oldest first; codes and references only',
  })
  items: Record<string, unknown>[];
  @ApiProperty({ description: 'Pass as `after` next time (unchanged when there was nothing new)' })
  nextCursor: string;
}
