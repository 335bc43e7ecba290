import { Body, Controller, Get, HttpCode, Param, Post, applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_PATTERN, Role } from '@app/domain';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { IdempotencyKey } from '../common/headers';
import { REFERENCE_PARAM } from '../common/validation';
import { ApiReference } from './api-params';
import { AssignableUserListDto } from './assignment.mapper';
import { AssignmentService } from './assignment.service';
import { AssignDto, ClaimDto, UnassignDto } from './dto/assignment.dto';
import { RequestDetailDto } from './request.mapper';

const STAFF = [Role.CtedOfficer, Role.CtedSupervisor, Role.UnodcManager, Role.UnodcSupervisor];
const SUPERVISORS = [Role.CtedSupervisor, Role.UnodcSupervisor];

/** One documented assignment operation: a decision on the request's workflow, like the others. */
function AssignmentDecision(operationId: string, summary: string, description: string) {
  return applyDecorators(
    HttpCode(200),
    ApiReference(),
    ApiOperation({
      operationId,
      summary,
      description: `${description}\n\nRecorded as an \`assignment_changed\` event. The body working on the request is CTED in cted_review, awaiting_information and external_referral, UNODC from unodc_planning to follow_up_evaluation; each body keeps its own assignee, so a request passing from CTED to UNODC arrives unassigned for UNODC and CTED's assignee stays recorded. A repeated \`decisionId\` (yours, on this request) is applied once.`,
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Used as decisionId when the body has none (8-120 letters, digits or ._:-)',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    }),
    ApiOkResponse({ type: RequestDetailDto, description: 'Applied (or had been already); the request as it is now' }),
    ApiProblems(
      [400, 'Invalid body (the field is named in `errors`)'],
      [404, 'No such request'],
      [
        409,
        'ASSIGNMENT_CONFLICT (someone holds it already, it is not your body working on it, nobody holds it) or REQUEST_CLOSED',
      ],
      [422, 'INVALID_ASSIGNEE: not an active user of the body working on the request (`assigneeId`)'],
      503,
    ),
  );
}

@ApiTags('decisions')
@Controller('api/v1/requests/:reference')
export class AssignmentController {
  constructor(private readonly assignment: AssignmentService) {}

  @Post('actions/claim')
  @Roles(...STAFF)
  @AssignmentDecision(
    'claim',
    'Take a request awaiting your body: you become its assignee',
    '**Who**: cted_officer, cted_supervisor, unodc_manager, unodc_supervisor, when nobody of the body holds the request.',
  )
  claim(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: ClaimDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.assignment.act(u, ref, 'claim', body, key);
  }

  @Post('actions/assign')
  @Roles(...SUPERVISORS)
  @AssignmentDecision(
    'assign',
    'Assign (or reassign) a request to a named officer or supervisor of your body',
    '**Who**: cted_supervisor for the requests CTED works on, unodc_supervisor for UNODC\'s. The assignee is told ("assigned to you").',
  )
  assign(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: AssignDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.assignment.act(u, ref, 'assign', body, key);
  }

  @Post('actions/unassign')
  @Roles(...STAFF)
  @AssignmentDecision(
    'unassign',
    'End the assignment: the request goes back to the whole body',
    "**Who**: the body's supervisor, or the assignee giving the request back.",
  )
  unassign(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: UnassignDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.assignment.act(u, ref, 'unassign', body, key);
  }

  @Get('assignable-users')
  @Roles(...SUPERVISORS)
  @ApiReference()
  @ApiOperation({
    summary: 'Whom a supervisor may assign the request to',
    description:
      'The active officers and supervisors of the body working on the request now, if the caller supervises that body; an empty list otherwise.',
  })
  @ApiOkResponse({ type: AssignableUserListDto })
  @ApiProblems([404, 'No such request'])
  assignable(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
  ): Promise<AssignableUserListDto> {
    return this.assignment.assignable(u, ref);
  }
}
