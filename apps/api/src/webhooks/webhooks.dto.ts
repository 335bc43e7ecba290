import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DECISION_TYPES, SYSTEM_EVENT_TYPES } from '@app/domain';

export const WEBHOOK_EVENT_TYPES = ['*', ...DECISION_TYPES, ...SYSTEM_EVENT_TYPES];
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://cted-db.example.org/hooks/ctap', maxLength: 2000 })
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  url: string;

  @ApiProperty({ example: ['submitted', 'closed'], description: "CTAP event types, or ['*'] for all" })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes: string[];

  @ApiPropertyOptional({
    description: 'Standard Webhooks secret (whsec_ + base64 of 24 to 64 bytes); generated when absent',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  @IsOptional()
  @IsString()
  @Matches(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, { message: 'secret must be whsec_ followed by base64' })
  secret?: string;

  @ApiPropertyOptional({ example: 'KEN', description: "Only this State's requests (a State's own system)" })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'memberState must be an ISO 3166 alpha-3 code' })
  memberState?: string;

  @ApiPropertyOptional({ default: true, example: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://cted-db.example.org/hooks/ctap' })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ example: ['*'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ example: true, description: 'true re-enables a subscription disabled after failures' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ example: ['submitted', 'closed'] }) eventTypes: string[];
  @ApiPropertyOptional({ nullable: true }) memberState: string | null;
  @ApiProperty() active: boolean;
  @ApiPropertyOptional({ nullable: true, description: 'Why CTAP disabled it' }) disabledReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ description: 'Only in the answer to the creation' }) secret?: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items: WebhookDto[];
}

export class DeliveryAttemptDto {
  @ApiProperty() attemptedAt: string;
  @ApiPropertyOptional({ nullable: true }) statusCode: number | null;
  @ApiPropertyOptional({ nullable: true }) error: string | null;
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
  @ApiPropertyOptional({ nullable: true }) lastStatusCode: number | null;
  @ApiPropertyOptional({ nullable: true }) deliveredAt: string | null;
  @ApiProperty({ type: [DeliveryAttemptDto] }) log: DeliveryAttemptDto[];
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) items: DeliveryDto[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}

export class ListDeliveriesQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class EventFeedQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous call; absent: from the first event' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class EventFeedDto {
  @ApiProperty({ description: 'CloudEvents 1.0 (JSON), oldest first; codes and references only' })
  items: Record<string, unknown>[];
  @ApiProperty({ description: 'Pass as `after` next time (unchanged when there was nothing new)' })
  nextCursor: string;
}
