import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DELIVERY_MODES, DeliveryMode, NOTIFICATION_KINDS, NotificationKind } from '@app/domain';

export class ListNotificationsQuery {
  @ApiPropertyOptional({ description: 'From the previous page (`nextCursor`)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class NotificationDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS, example: 'information_requested' }) kind: string;
  @ApiProperty({ example: 'CTAP-2026-000001' }) reference: string;
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ description: 'Codes only (stage, outcome, reminder number, dates)', example: { questions: 2 } })
  params: Record<string, unknown>;
  @ApiProperty({ example: '2026-10-02T09:15:00.000Z' }) createdAt: string;
  @ApiPropertyOptional({ nullable: true, example: null }) readAt: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items: NotificationDto[];
  @ApiPropertyOptional({ nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
  @ApiProperty({ description: 'Unread notifications of the caller, in all' }) unreadCount: number;
}

export class MarkedReadDto {
  @ApiProperty({ description: 'How many notifications this call marked read' }) marked: number;
  @ApiProperty() unreadCount: number;
}

export class NotificationPreferenceDto {
  @ApiProperty({ enum: NOTIFICATION_KINDS, example: 'reminder' }) @IsIn(NOTIFICATION_KINDS) kind: NotificationKind;
  @ApiProperty({
    enum: DELIVERY_MODES,
    example: 'daily_digest',
    description: 'E-mail delivery; in-app notifications are always kept',
  })
  @IsIn(DELIVERY_MODES)
  mode: DeliveryMode;
}

export class NotificationPreferencesDto {
  @ApiProperty({ type: [NotificationPreferenceDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => NotificationPreferenceDto)
  preferences: NotificationPreferenceDto[];
}

export class NotificationPreferenceViewDto extends NotificationPreferenceDto {
  @ApiProperty({ description: 'Mandatory kinds cannot be switched off' }) mandatory: boolean;
}

export class NotificationPreferencesViewDto {
  @ApiProperty({ type: [NotificationPreferenceViewDto] }) preferences: NotificationPreferenceViewDto[];
}
