import { Body, Controller, HttpCode, Param, Post, applyDecorators } from '@nestjs/common';
import { IdempotencyKey } from '../common/headers';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DECISION_RULES, DecisionType, IDEMPOTENCY_KEY_PATTERN } from '@app/domain';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { REFERENCE_PARAM } from '../common/validation';
import { ApiReference } from './api-params';
import { DecisionsService } from './decisions.service';
import {
  AcceptPlanDto,
  ApprovePlanDto,
  CompleteDeliveryDto,
  DeclineDto,
  ProposePlanDto,
  ProvideInformationDto,
  RecordCtedConsultationDto,
  RecordFundingDto,
  RecordIndicatorsDto,
  RecordReferralOutcomeDto,
  ReferNeedsDto,
  RequestInformationDto,
  RequestPlanRevisionDto,
  SubmitEvaluationDto,
  WithdrawDto,
} from './dto/decision-payloads.dto';
import { RequestDetailDto } from './request.mapper';

const DOCS: Record<DecisionType, { summary: string; description: string }> = {
  request_information: {
    summary: 'CTED asks the State for more information',
    description: "Pauses CTED's clock; the State is reminded and the request lapses if it never answers.",
  },
  provide_information: {
    summary: "The State answers CTED's information request",
    description: 'Returns the request to the stage it was in.',
  },
  refer_needs: {
    summary: 'CTED refers each need to a provider (UNODC/TPB or an external donor)',
    description:
      "Every need must be referred exactly once. Any need referred to UNODC moves the request to UNODC planning; otherwise it waits on the external referrals' outcomes.",
  },
  decline: { summary: 'CTED declines the request', description: 'Closes the request as declined.' },
  record_referral_outcome: {
    summary: 'CTED records whether an external referral led to assistance delivered',
    description:
      'Once every external referral of a request referred only externally has an outcome, the request closes.',
  },
  propose_plan: {
    summary: 'UNODC proposes (or revises) the country work plan',
    description: 'Each proposal gets a new version; the State then accepts it or asks for a revision.',
  },
  accept_plan: {
    summary: 'The State agrees the proposed work plan',
    description: 'Names the version accepted (see GET .../work-plan).',
  },
  request_plan_revision: {
    summary: 'The State asks UNODC to revise the proposed plan',
    description: 'UNODC then proposes a new version.',
  },
  record_cted_consultation: {
    summary: 'UNODC records that CTED was consulted on the plan',
    description: 'Required before the plan can be approved.',
  },
  approve_plan: {
    summary: 'UNODC approves the agreed plan and informs CTC/CTED',
    description:
      "With the plan's budget funded, delivery starts (one delivery activity per planned activity); otherwise it waits for funding. Body: only an optional decisionId.",
  },
  record_funding: {
    summary: 'UNODC records a donor pledge against the plan',
    description: "Once the approved plan's budget is covered, delivery starts.",
  },
  complete_delivery: {
    summary: 'UNODC closes delivery and starts the follow-up evaluation',
    description: 'Every activity must be delivered or cancelled, at least one delivered.',
  },
  record_indicators: {
    summary: 'UNODC records results indicators (ratifications, laws, officials trained)',
    description: 'At least one indicator. Adds to those recorded before.',
  },
  submit_evaluation: {
    summary: 'The State answers the follow-up evaluation questionnaire',
    description: 'Closes the request as completed; further needs open a new request linked to this one.',
  },
  withdraw: {
    summary: 'The State withdraws its request',
    description: 'Cancels scheduled activities and releases recorded funding; closes the request as withdrawn.',
  },
};

/** One documented operation per decision: roles and stages from DECISION_RULES, the new state as answer. */
function Decision(type: DecisionType) {
  const rule = DECISION_RULES[type];
  const doc = DOCS[type];
  return applyDecorators(
    HttpCode(200),
    Roles(...rule.roles),
    ApiReference(),
    ApiOperation({
      operationId: type.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      summary: doc.summary,
      description: `${doc.description}\n\n**Who**: ${rule.roles.join(', ')}. **Stages**: ${rule.stages.join(', ')}.\n\nReturns the request's new state. A repeated \`decisionId\` (yours, on this request) is applied once.`,
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Used as decisionId when the body has none (8-120 letters, digits or ._:-)',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    }),
    ApiOkResponse({
      type: RequestDetailDto,
      description: 'The decision was applied (or had been already); the request as it is now',
    }),
    ApiProblems(
      [400, 'Invalid body (the field is named in `errors`)'],
      [404, "No such request, or another State's"],
      [
        409,
        'The workflow refused the decision now: wrong stage (STAGE_NOT_ALLOWED), plan not ready (PLAN_NOT_READY), already recorded (ALREADY_RECORDED), request closed (REQUEST_CLOSED)',
      ],
      [
        422,
        'The body does not fit this request (INVALID_PAYLOAD, UNKNOWN_NEED, UNKNOWN_REFERRAL), the field named in `errors`',
      ],
      503,
    ),
  );
}

@ApiTags('decisions')
@Controller('api/v1/requests/:reference/actions')
export class DecisionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @Post('request-information')
  @Decision('request_information')
  requestInformation(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: RequestInformationDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'request_information', body, key);
  }

  @Post('provide-information')
  @Decision('provide_information')
  provideInformation(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: ProvideInformationDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'provide_information', body, key);
  }

  @Post('refer-needs')
  @Decision('refer_needs')
  referNeeds(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: ReferNeedsDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'refer_needs', body, key);
  }

  @Post('decline')
  @Decision('decline')
  decline(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: DeclineDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'decline', body, key);
  }

  @Post('record-referral-outcome')
  @Decision('record_referral_outcome')
  recordReferralOutcome(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: RecordReferralOutcomeDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'record_referral_outcome', body, key);
  }

  @Post('propose-plan')
  @Decision('propose_plan')
  proposePlan(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: ProposePlanDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'propose_plan', body, key);
  }

  @Post('accept-plan')
  @Decision('accept_plan')
  acceptPlan(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: AcceptPlanDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'accept_plan', body, key);
  }

  @Post('request-plan-revision')
  @Decision('request_plan_revision')
  requestPlanRevision(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: RequestPlanRevisionDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'request_plan_revision', body, key);
  }

  @Post('record-cted-consultation')
  @Decision('record_cted_consultation')
  recordCtedConsultation(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: RecordCtedConsultationDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'record_cted_consultation', body, key);
  }

  @Post('approve-plan')
  @Decision('approve_plan')
  approvePlan(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: ApprovePlanDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'approve_plan', body, key);
  }

  @Post('record-funding')
  @Decision('record_funding')
  recordFunding(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: RecordFundingDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'record_funding', body, key);
  }

  @Post('complete-delivery')
  @Decision('complete_delivery')
  completeDelivery(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: CompleteDeliveryDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'complete_delivery', body, key);
  }

  @Post('record-indicators')
  @Decision('record_indicators')
  recordIndicators(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: RecordIndicatorsDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'record_indicators', body, key);
  }

  @Post('submit-evaluation')
  @Decision('submit_evaluation')
  submitEvaluation(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: SubmitEvaluationDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'submit_evaluation', body, key);
  }

  @Post('withdraw')
  @Decision('withdraw')
  withdraw(
    @CurrentUser() u: Principal,
    @Param('reference', REFERENCE_PARAM) ref: string,
    @Body() body: WithdrawDto,
    @IdempotencyKey() key?: string,
  ): Promise<RequestDetailDto> {
    return this.decisions.decide(u, ref, 'withdraw', body, key);
  }
}
