import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Role } from '@app/domain';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { NUMERIC_ID_PATTERN } from '@app/domain';
import { PathId } from '../common/validation';
import {
  ListNotificationsQuery,
  MarkedReadDto,
  NotificationPageDto,
  NotificationPreferencesDto,
  NotificationPreferencesViewDto,
} from './notifications.dto';
import { NotificationsService } from './notifications.service';

const EVERY_ROLE = [
  Role.MemberState,
  Role.CtedOfficer,
  Role.UnodcManager,
  Role.CtedSupervisor,
  Role.UnodcSupervisor,
  Role.Admin,
];
const NOTIFICATION_ID = new PathId('id', NUMERIC_ID_PATTERN, 'notification');

@ApiTags('notifications')
@Controller('api/v1')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @Roles(...EVERY_ROLE)
  @ApiOperation({
    summary: "The caller's notifications",
    description: 'Unread first, then newest first; keyset-paginated. Only the caller’s own notifications.',
  })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblems([400, 'A query parameter is invalid'], [422, 'A cursor this API did not issue'])
  list(@CurrentUser() user: Principal, @Query() q: ListNotificationsQuery): Promise<NotificationPageDto> {
    return this.notifications.list(user, q);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @Roles(...EVERY_ROLE)
  @ApiParam({ name: 'id', example: '42' })
  @ApiOperation({ summary: 'Mark one of the caller’s notifications read (idempotent)' })
  @ApiOkResponse({ type: MarkedReadDto })
  @ApiProblems([400, 'id is not a notification id'], [404, 'No such notification of the caller'])
  markRead(@CurrentUser() user: Principal, @Param('id', NOTIFICATION_ID) id: string): Promise<MarkedReadDto> {
    return this.notifications.markRead(user, id);
  }

  @Post('notifications/read-all')
  @HttpCode(200)
  @Roles(...EVERY_ROLE)
  @ApiOperation({ summary: 'Mark all of the caller’s notifications read' })
  @ApiOkResponse({ type: MarkedReadDto })
  markAllRead(@CurrentUser() user: Principal): Promise<MarkedReadDto> {
    return this.notifications.markAllRead(user);
  }

  @Get('me/notification-preferences')
  @Roles(...EVERY_ROLE)
  @ApiOperation({
    summary: 'How the caller is e-mailed, per notification kind',
    description: 'immediate (default), daily_digest, or off; in-app notifications are always kept.',
  })
  @ApiOkResponse({ type: NotificationPreferencesViewDto })
  preferences(@CurrentUser() user: Principal): Promise<NotificationPreferencesViewDto> {
    return this.notifications.preferences(user);
  }

  @Put('me/notification-preferences')
  @Roles(...EVERY_ROLE)
  @ApiOperation({
    summary: 'Change how the caller is e-mailed, per kind',
    description: 'Kinds not listed keep their mode. information_requested and evaluation_due cannot be switched off.',
  })
  @ApiOkResponse({ type: NotificationPreferencesViewDto })
  @ApiProblems([400, 'Invalid body, or a mandatory kind switched off (the field is named in `errors`)'])
  setPreferences(
    @CurrentUser() user: Principal,
    @Body() body: NotificationPreferencesDto,
  ): Promise<NotificationPreferencesViewDto> {
    return this.notifications.setPreferences(user, body);
  }
}
