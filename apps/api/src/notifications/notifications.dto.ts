import { ApiProperty } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  DELIVERY_MODES,
  DeliveryMode,
  NOTIFICATION_KINDS,
  NotificationKind,
  listNotificationsQuerySchema,
  notificationPreferencesSchema,
} from '@app/domain';

export class ListNotificationsQuery extends createZodDto(listNotificationsQuerySchema) {}

export class NotificationDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS, example: 'information_requested' }) kind: string;
  @ApiProperty({ example: 'CTAP-2026-000001' }) reference: string;
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ description: 'Codes only (stage, outcome, reminder number, dates)', example: { questions: 2 } })
  params: Record<string, unknown>;
  @ApiProperty({ example: '2026-10-02T09:15:00.000Z' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, example: null }) readAt: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items: NotificationDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
  @ApiProperty({ description: 'Unread notifications of the caller, in all' }) unreadCount: number;
}

export class MarkedReadDto {
  @ApiProperty({ description: 'How many notifications this call marked read' }) marked: number;
  @ApiProperty() unreadCount: number;
}

export class NotificationPreferenceDto {
  @ApiProperty({ enum: NOTIFICATION_KINDS, example: 'reminder' }) kind: NotificationKind;
  @ApiProperty({
    enum: DELIVERY_MODES,
    example: 'daily_digest',
    description: 'E-mail delivery; in-app notifications are always kept',
  })
  mode: DeliveryMode;
}

export class NotificationPreferencesDto extends createZodDto(notificationPreferencesSchema) {}

export class NotificationPreferenceViewDto extends NotificationPreferenceDto {
  @ApiProperty({ description: 'Mandatory kinds cannot be switched off' }) mandatory: boolean;
}

export class NotificationPreferencesViewDto {
  @ApiProperty({ type: [NotificationPreferenceViewDto] }) preferences: NotificationPreferenceViewDto[];
}
