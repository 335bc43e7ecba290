import type { Actor } from './request-state';
import type { DecisionPayloads, DecisionType } from './schemas/payloads';
import { Role, Stage } from './stage';

export type { DecisionPayloads, DecisionType } from './schemas/payloads';

export interface Decision<T extends DecisionType = DecisionType> {
  /** Client-chosen id; a decision applied once is never applied again. */
  decisionId: string;
  type: T;
  actor: Actor;
  payload: DecisionPayloads[T];
}

interface DecisionRule {
  roles: Role[];
  stages: Stage[];
}

const OPEN: Stage[] = Object.values(Stage).filter((s) => s !== Stage.Closed);
// A supervisor may take every decision of its body's officers (and assigns: assignment.ts).
const CTED: Role[] = [Role.CtedOfficer, Role.CtedSupervisor];
const UNODC: Role[] = [Role.UnodcManager, Role.UnodcSupervisor];

/** Who may take each decision, and in which stages. The single source for validators and docs. */
export const DECISION_RULES: Record<DecisionType, DecisionRule> = {
  request_information: { roles: CTED, stages: [Stage.CtedReview] },
  provide_information: { roles: [Role.MemberState], stages: [Stage.AwaitingInformation] },
  refer_needs: { roles: CTED, stages: [Stage.CtedReview] },
  decline: { roles: CTED, stages: [Stage.CtedReview] },
  record_referral_outcome: {
    roles: CTED,
    stages: OPEN.filter((s) => s !== Stage.CtedReview && s !== Stage.AwaitingInformation),
  },
  propose_plan: { roles: UNODC, stages: [Stage.UnodcPlanning] },
  accept_plan: { roles: [Role.MemberState], stages: [Stage.UnodcPlanning] },
  request_plan_revision: { roles: [Role.MemberState], stages: [Stage.UnodcPlanning] },
  record_cted_consultation: { roles: UNODC, stages: [Stage.UnodcPlanning, Stage.AwaitingFunding] },
  approve_plan: { roles: UNODC, stages: [Stage.UnodcPlanning] },
  record_funding: {
    roles: UNODC,
    stages: [Stage.UnodcPlanning, Stage.AwaitingFunding, Stage.Delivery],
  },
  complete_delivery: { roles: UNODC, stages: [Stage.Delivery] },
  record_indicators: { roles: UNODC, stages: [Stage.Delivery, Stage.FollowUpEvaluation] },
  submit_evaluation: { roles: [Role.MemberState], stages: [Stage.FollowUpEvaluation] },
  withdraw: { roles: [Role.MemberState], stages: OPEN },
};

export const DECISION_TYPES = Object.keys(DECISION_RULES) as DecisionType[];

/**
 * The decisions this actor may take on a request now, by the same role, State-scope and stage
 * checks validateDecision applies (payload checks aside: those depend on what is sent).
 */
export function allowedDecisions(
  request: { stage: Stage; memberState: string },
  actor: { role: Role; memberState?: string | null },
): DecisionType[] {
  if (request.stage === Stage.Closed) return [];
  if (actor.role === Role.MemberState && actor.memberState !== request.memberState) return [];
  return DECISION_TYPES.filter((t) => {
    const rule = DECISION_RULES[t];
    return rule.roles.includes(actor.role) && rule.stages.includes(request.stage);
  });
}
