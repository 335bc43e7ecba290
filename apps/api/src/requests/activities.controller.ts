import { Body, Controller, HttpCode, Param, Post, applyDecorators } from '@nestjs/common';
import { IdempotencyKey } from '../common/headers';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_PATTERN, Role } from '@app/domain';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { ACTIVITY_KEY_PARAM, REFERENCE_PARAM } from '../common/validation';
import { ApiActivityKey, ApiReference } from './api-params';
import { DecisionsService } from './decisions.service';
import { CancelActivityDto, ReportDeliveredDto, RescheduleActivityDto } from './dto/activity-actions.dto';
import { DeliveryActivityDto } from './dto/views.dto';

function ActivityAction(operationId: string, summary: string, description: string) {
  return applyDecorators(
    HttpCode(200),
    Roles(Role.UnodcManager, Role.UnodcSupervisor),
    ApiReference(),
    ApiActivityKey(),
    ApiOperation({
      operationId,
      summary,
      description: `${description}\n\n**Who**: unodc_manager. Only a scheduled activity. Returns the activity as it is now; a repeated \`decisionId\` is applied once.`,
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Used as decisionId when the body has none (8-120 letters, digits or ._:-)',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    }),
    ApiOkResponse({ type: DeliveryActivityDto }),
    ApiProblems(
      [400, 'Invalid body (the field is named in `errors`)'],
      [404, 'No such request or no such activity in it'],
      [409, 'The activity is no longer scheduled (delivered or cancelled)'],
      [422, 'The body does not fit this activity (e.g. participants from a State not participating)'],
      503,
    ),
  );
}

@ApiTags('delivery')
@Controller('api/v1/requests/:reference/activities/:key/actions')
export class ActivitiesController {
  constructor(private readonly decisions: DecisionsService) {}

  @Post('report-delivered')
  @ActivityAction(
    'reportActivityDelivered',
    'Report a delivery activity delivered',
    'Records participants, officials trained and outputs. The request learns of it shortly after (its activities list and timeline).',
  )
  reportDelivered(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Param('key', ACTIVITY_KEY_PARAM) key: string,
    @Body() body: ReportDeliveredDto,
    @IdempotencyKey() header?: string,
  ): Promise<DeliveryActivityDto> {
    return this.decisions.actOnActivity(u, ref, key, 'report_delivered', body, header);
  }

  @Post('reschedule')
  @ActivityAction(
    'rescheduleActivity',
    'Move a scheduled delivery activity to new dates (and place)',
    'Counts the reschedules.',
  )
  reschedule(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Param('key', ACTIVITY_KEY_PARAM) key: string,
    @Body() body: RescheduleActivityDto,
    @IdempotencyKey() header?: string,
  ): Promise<DeliveryActivityDto> {
    return this.decisions.actOnActivity(u, ref, key, 'reschedule', body, header);
  }

  @Post('cancel')
  @ActivityAction(
    'cancelActivity',
    'Cancel a scheduled delivery activity',
    'A cancelled activity no longer blocks completing the delivery.',
  )
  cancel(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Param('key', ACTIVITY_KEY_PARAM) key: string,
    @Body() body: CancelActivityDto,
    @IdempotencyKey() header?: string,
  ): Promise<DeliveryActivityDto> {
    return this.decisions.actOnActivity(u, ref, key, 'cancel', body, header);
  }
}
