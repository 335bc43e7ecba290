import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { IdempotencyKey } from '../common/headers';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IDEMPOTENCY_KEY_PATTERN, Role } from '@app/domain';
import { apiError } from '../common/api-error';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { REFERENCE_PARAM } from '../common/validation';
import { ApiReference } from './api-params';
import { DecisionsService } from './decisions.service';
import { ListRequestsQuery } from './dto/list-requests.query';
import { SubmitRequestDto } from './dto/submit-request.dto';
import { DeliveryActivityListDto, EvaluationViewDto, ReferralListDto, WorkPlanViewDto } from './dto/views.dto';
import { RequestDetailDto, RequestPageDto, RequestSummaryDto } from './request.mapper';
import { RequestsService } from './requests.service';

const READERS = [
  Role.MemberState,
  Role.CtedOfficer,
  Role.UnodcManager,
  Role.CtedSupervisor,
  Role.UnodcSupervisor,
] as const;

@ApiTags('requests')
@Controller('api/v1/requests')
export class RequestsController {
  constructor(
    private readonly requests: RequestsService,
    private readonly decisions: DecisionsService,
  ) {}

  @Post()
  @Roles(Role.MemberState, Role.CtedOfficer, Role.CtedSupervisor)
  @ApiOperation({
    summary: 'Submit a request for technical assistance',
    description:
      "A focal point files for its own State; a CTED officer files on a State's behalf (`memberState` and `consent` required). " +
      'Exactly once per (user, Idempotency-Key): the same key and body returns the first response (header `Idempotent-Replayed: true`), ' +
      'the same key with another body is a 422, and a retry while the first call is still running waits for it (409 if it takes too long).',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: '8-120 letters, digits or ._:-, unique per submission; keys are scoped to the calling user',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    example: '0c3f4a8e-5d1b-4d0e-9a43-7e8f0b6c2d11',
  })
  @ApiCreatedResponse({
    type: RequestSummaryDto,
    description: 'Stored, and its workflow started. `Location` names the new request.',
  })
  @ApiProblems(
    [400, 'Invalid body, or the Idempotency-Key header missing or malformed'],
    [409, 'The first call with this Idempotency-Key is still in flight; retry'],
    [
      422,
      'memberState is not a UN Member State, a focal point filing for another State or with consent, CTED without consent, or the Idempotency-Key used with another body',
    ],
    503,
  )
  async submit(
    @CurrentUser() user: Principal,
    @Body() body: SubmitRequestDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RequestSummaryDto> {
    if (!key || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw apiError(
        'IDEMPOTENCY_KEY_REQUIRED',
        'Idempotency-Key header: required, 8 to 120 characters of letters, digits and ._:-',
        [{ field: 'Idempotency-Key', reason: 'required, 8 to 120 characters of letters, digits and ._:-' }],
      );
    }
    const result = await this.requests.submit(user, body, key);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', `/api/v1/requests/${result.body.reference}`);
    return result.body;
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({
    summary: 'List requests, newest first',
    description:
      "A focal point sees its own State's requests only. Keyset-paginated: pass `nextCursor` back as `cursor`.",
  })
  @ApiOkResponse({ type: RequestPageDto })
  @ApiProblems([400, 'A query parameter is invalid'], [422, 'cursor was not issued by this API'])
  list(@CurrentUser() user: Principal, @Query() query: ListRequestsQuery): Promise<RequestPageDto> {
    return this.requests.list(user, query);
  }

  @Get(':reference')
  @Roles(...READERS)
  @ApiReference()
  @ApiOperation({ summary: 'One request with its timeline and upcoming deadlines' })
  @ApiOkResponse({ type: RequestDetailDto })
  @ApiProblems([404, 'No such request, or not yours to see (whatever the shape of the reference)'])
  get(
    @CurrentUser() user: Principal,
    @Param('reference', REFERENCE_PARAM) reference: string,
  ): Promise<RequestDetailDto> {
    return this.requests.get(user, reference);
  }

  @Get(':reference/referrals')
  @Roles(...READERS)
  @ApiReference()
  @ApiOperation({
    summary: "CTED's referrals of the request's needs, with their outcomes",
    description: "Read from the request's last recorded state.",
  })
  @ApiOkResponse({ type: ReferralListDto })
  @ApiProblems([404, 'No such request, or not yours to see (whatever the shape of the reference)'])
  referrals(
    @CurrentUser() user: Principal,
    @Param('reference', REFERENCE_PARAM) reference: string,
  ): Promise<ReferralListDto> {
    return this.requests.referrals(user, reference);
  }

  @Get(':reference/work-plan')
  @Roles(...READERS)
  @ApiReference()
  @ApiOperation({ summary: 'The country work plan (null until proposed) and the funding recorded against it' })
  @ApiOkResponse({ type: WorkPlanViewDto })
  @ApiProblems([404, 'No such request, or not yours to see (whatever the shape of the reference)'])
  workPlan(
    @CurrentUser() user: Principal,
    @Param('reference', REFERENCE_PARAM) reference: string,
  ): Promise<WorkPlanViewDto> {
    return this.requests.workPlan(user, reference);
  }

  @Get(':reference/evaluation')
  @Roles(...READERS)
  @ApiReference()
  @ApiOperation({
    summary: "Follow-up evaluation: the State's answers (null until given), results indicators and follow-up requests",
  })
  @ApiOkResponse({ type: EvaluationViewDto })
  @ApiProblems([404, 'No such request, or not yours to see (whatever the shape of the reference)'])
  evaluation(
    @CurrentUser() user: Principal,
    @Param('reference', REFERENCE_PARAM) reference: string,
  ): Promise<EvaluationViewDto> {
    return this.requests.evaluation(user, reference);
  }

  @Get(':reference/activities')
  @Roles(...READERS)
  @ApiReference()
  @ApiOperation({
    summary: "The request's delivery activities, earliest first",
    description:
      'One entry per activity started when delivery began; each moves on its own (delivered, rescheduled, cancelled).',
  })
  @ApiOkResponse({ type: DeliveryActivityListDto })
  @ApiProblems([404, 'No such request, or not yours to see (whatever the shape of the reference)'])
  activities(
    @CurrentUser() user: Principal,
    @Param('reference', REFERENCE_PARAM) reference: string,
  ): Promise<DeliveryActivityListDto> {
    return this.decisions.activities(user, reference);
  }
}
