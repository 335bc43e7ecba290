import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@app/domain';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { NUMERIC_ID_PATTERN } from '@app/domain';
import { PathId, UUID_PARAM } from '../common/validation';
import {
  CreateWebhookDto,
  DeliveryDto,
  DeliveryPageDto,
  EventFeedDto,
  EventFeedQuery,
  ListDeliveriesQuery,
  UpdateWebhookDto,
  WebhookDto,
  WebhookListDto,
} from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

const DELIVERY_ID = new PathId('deliveryId', NUMERIC_ID_PATTERN, 'delivery');

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Subscribe another system to CTAP events (administrators only)',
    description:
      'Events are POSTed as CloudEvents 1.0 JSON signed as Standard Webhooks do (webhook-id, webhook-timestamp, webhook-signature). The secret is returned once, here.',
  })
  @ApiCreatedResponse({ type: WebhookDto })
  @ApiProblems(
    [400, 'Invalid body (the field is named in `errors`)'],
    [422, '`url` points to a private or local address (allowed only with WEBHOOK_ALLOW_PRIVATE_TARGETS)'],
  )
  create(@Body() body: CreateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.create(body);
  }

  @Get()
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'List webhook subscriptions (administrators only); secrets are never listed' })
  @ApiOkResponse({ type: WebhookListDto })
  async list(): Promise<WebhookListDto> {
    return { items: await this.webhooks.list() };
  }

  @Get(':id')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'One webhook subscription (administrators only)' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems([400, 'Malformed request'], [404, 'No such subscription, whatever the shape of the id'])
  get(@Param('id', UUID_PARAM('id', 'webhook subscription')) id: string): Promise<WebhookDto> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Change or re-enable a subscription (administrators only)' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems(
    [400, 'Invalid body'],
    [404, 'No such subscription, whatever the shape of the id'],
    [422, '`url` points to a private or local address (allowed only with WEBHOOK_ALLOW_PRIVATE_TARGETS)'],
  )
  update(
    @Param('id', UUID_PARAM('id', 'webhook subscription')) id: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    return this.webhooks.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Delete a subscription and its delivery log (administrators only)' })
  @ApiNoContentResponse()
  @ApiProblems([400, 'Malformed request'], [404, 'No such subscription, whatever the shape of the id'])
  remove(@Param('id', UUID_PARAM('id', 'webhook subscription')) id: string): Promise<void> {
    return this.webhooks.remove(id);
  }

  @Get(':id/deliveries')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Delivery log of a subscription, newest first, with every attempt (administrators only)' })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiProblems([400, 'Invalid query'], 404, [422, 'A cursor this API did not issue'])
  deliveries(
    @Param('id', UUID_PARAM('id', 'webhook subscription')) id: string,
    @Query() q: ListDeliveriesQuery,
  ): Promise<DeliveryPageDto> {
    return this.webhooks.deliveries(id, q);
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Send a delivery again (administrators only)',
    description: 'Same webhook-id as the original, so a receiver that already has it can de-duplicate.',
  })
  @ApiOkResponse({ type: DeliveryDto })
  @ApiProblems([400, 'Invalid id'], 404)
  replay(
    @Param('id', UUID_PARAM('id', 'webhook subscription')) id: string,
    @Param('deliveryId', DELIVERY_ID) deliveryId: string,
  ): Promise<DeliveryDto> {
    return this.webhooks.replay(id, deliveryId);
  }
}

@ApiTags('webhooks')
@Controller('api/v1/events')
export class EventFeedController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @Roles(Role.MemberState, Role.CtedOfficer, Role.UnodcManager, Role.CtedSupervisor, Role.UnodcSupervisor, Role.Admin)
  @ApiOperation({
    summary: 'Pull feed of events, for consumers that prefer polling',
    description:
      'CloudEvents 1.0, oldest first, after the cursor. Codes and references only; a focal point receives its own State’s requests only.',
  })
  @ApiOkResponse({ type: EventFeedDto })
  @ApiProblems([400, 'Invalid query'], [422, 'An `after` cursor this API did not issue'])
  feed(@CurrentUser() user: Principal, @Query() q: EventFeedQuery): Promise<EventFeedDto> {
    return this.webhooks.feed(user, q);
  }
}
