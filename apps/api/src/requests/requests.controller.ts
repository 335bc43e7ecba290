import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { BadRequestException } from '@nestjs/common';
import type { Response } from 'express';
import { DECISION_RULES, DECISION_TYPES, Role } from '@app/domain';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { DecisionDto } from './dto/decision.dto';
import { ListRequestsQuery } from './dto/list-requests.query';
import { SubmitRequestDto } from './dto/submit-request.dto';
import { RequestDetailDto, RequestSummaryDto } from './request.mapper';
import { RequestsService } from './requests.service';

const ACTIONS = DECISION_TYPES.map((t) => t.replace(/_/g, '-'));
const KEY = /^[A-Za-z0-9._:-]{8,200}$/;

@ApiTags('requests')
@ApiBearerAuth()
@Controller('api/v1/requests')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Post()
  @Roles(Role.MemberState, Role.CtedOfficer)
  @ApiOperation({ summary: 'Submit a request for technical assistance (a focal point for its State, or CTED on a State\'s behalf with its consent)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '8-200 characters; the same key and body returns the first response' })
  @ApiCreatedResponse({ type: RequestSummaryDto })
  @ApiUnprocessableEntityResponse({ description: 'Invalid body, or the Idempotency-Key was used with another body' })
  @ApiConflictResponse({ description: 'The first request with this key is still in flight' })
  async submit(
    @CurrentUser() user: Principal,
    @Body() body: SubmitRequestDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RequestSummaryDto> {
    if (!key || !KEY.test(key)) {
      throw new BadRequestException({
        code: 'IDEMPOTENCY_KEY_REQUIRED',
        detail: 'Idempotency-Key header: required, 8 to 200 characters of letters, digits and ._:-',
        errors: [{ field: 'Idempotency-Key', reason: 'required, 8 to 200 characters of letters, digits and ._:-' }],
      });
    }
    const result = await this.requests.submit(user, body, key);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', `/api/v1/requests/${result.body.reference}`);
    return result.body;
  }

  @Get()
  @Roles(Role.MemberState, Role.CtedOfficer, Role.UnodcManager)
  @ApiOperation({ summary: 'List requests, newest first (a focal point sees its own State\'s only)' })
  @ApiOkResponse({ description: '{ items, nextCursor }' })
  list(@CurrentUser() user: Principal, @Query() query: ListRequestsQuery) {
    return this.requests.list(user, query);
  }

  @Get(':reference')
  @Roles(Role.MemberState, Role.CtedOfficer, Role.UnodcManager)
  @ApiOperation({ summary: 'One request with its timeline and upcoming deadlines' })
  @ApiOkResponse({ type: RequestDetailDto })
  @ApiNotFoundResponse({ description: 'No such request, or not yours to see' })
  get(@CurrentUser() user: Principal, @Param('reference') reference: string): Promise<RequestDetailDto> {
    return this.requests.get(user, reference);
  }

  @Post(':reference/actions/:action')
  @HttpCode(200)
  @Roles(Role.MemberState, Role.CtedOfficer, Role.UnodcManager)
  @ApiOperation({
    summary: 'Take a decision on a request; returns the new state',
    description: DECISION_TYPES.map((t) => `- \`${t.replace(/_/g, '-')}\`: ${DECISION_RULES[t].roles.join(', ')}; stages ${DECISION_RULES[t].stages.join(', ')}`).join('\n'),
  })
  @ApiParam({ name: 'action', enum: ACTIONS })
  @ApiOkResponse({ type: RequestDetailDto })
  @ApiConflictResponse({ description: 'The workflow refused the decision in its current stage (reason given)' })
  decide(
    @CurrentUser() user: Principal,
    @Param('reference') reference: string,
    @Param('action') action: string,
    @Body() body: DecisionDto,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<RequestDetailDto> {
    return this.requests.decide(user, reference, action, body, key);
  }
}
