import { createZodDto } from 'nestjs-zod';
import { DECISION_PAYLOAD_SCHEMAS, decisionId } from '@app/domain';

/**
 * Body of every decision: the decision's own fields (their one schema is in
 * libs/domain/src/schemas/payloads.ts) at the top level, plus an optional `decisionId`. Sending
 * the same decisionId again (same user, same request) applies the decision once and answers
 * with the current state.
 */
const withDecisionId = {
  decisionId: decisionId
    .optional()
    .describe(
      'Client-chosen id making the call safe to retry: a decision with an id you already used on this request is applied once. ' +
        'Defaults to the Idempotency-Key header, else a fresh id (then a retry may apply the decision twice if the workflow allows it).',
    ),
};
const P = DECISION_PAYLOAD_SCHEMAS;

/** What every decision body has in common. */
export interface DecisionBaseDto {
  decisionId?: string;
}

export class RequestInformationDto extends createZodDto(P.request_information.safeExtend(withDecisionId)) {}
export class ProvideInformationDto extends createZodDto(P.provide_information.safeExtend(withDecisionId)) {}
export class ReferNeedsDto extends createZodDto(P.refer_needs.safeExtend(withDecisionId)) {}
export class DeclineDto extends createZodDto(P.decline.safeExtend(withDecisionId)) {}
export class RecordReferralOutcomeDto extends createZodDto(P.record_referral_outcome.safeExtend(withDecisionId)) {}
export class ProposePlanDto extends createZodDto(P.propose_plan.safeExtend(withDecisionId)) {}
export class AcceptPlanDto extends createZodDto(P.accept_plan.safeExtend(withDecisionId)) {}
export class RequestPlanRevisionDto extends createZodDto(P.request_plan_revision.safeExtend(withDecisionId)) {}
export class RecordCtedConsultationDto extends createZodDto(P.record_cted_consultation.safeExtend(withDecisionId)) {}
export class ApprovePlanDto extends createZodDto(P.approve_plan.safeExtend(withDecisionId)) {}
export class RecordFundingDto extends createZodDto(P.record_funding.safeExtend(withDecisionId)) {}
export class CompleteDeliveryDto extends createZodDto(P.complete_delivery.safeExtend(withDecisionId)) {}
export class RecordIndicatorsDto extends createZodDto(P.record_indicators.safeExtend(withDecisionId)) {}
export class SubmitEvaluationDto extends createZodDto(P.submit_evaluation.safeExtend(withDecisionId)) {}
export class WithdrawDto extends createZodDto(P.withdraw.safeExtend(withDecisionId)) {}
