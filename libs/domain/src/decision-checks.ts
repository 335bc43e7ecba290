import { DomainError, DomainErrorCode } from './domain-error';
import { latestPossibleDate } from './delivery-activity';
import { DECISION_RULES, Decision, DecisionPayloads, DecisionType, allowedDecisions } from './decision-rules';
import type { RequestState } from './request-state';
import { fieldErrors, fieldPath, firstDifference } from './schemas/issues';
import type { z } from 'zod';
import {
  ACTIVITY_PAYLOAD_SCHEMAS,
  ActivityAction,
  ActivityPayloads,
  DECISION_PAYLOAD_SCHEMAS,
} from './schemas/payloads';
import { Role, Stage } from './stage';
import { MODALITIES, SHARED_ACTIVITY_LEVELS } from './taxonomy';

function refuse(code: DomainErrorCode, field: string | undefined, message: string): never {
  throw new DomainError(code, message, field);
}
const invalid = (field: string, reason: string): never => refuse('INVALID_PAYLOAD', field, `${field} ${reason}`);

/**
 * Checks a payload against its schema (the same one the HTTP layer uses) and returns it. Only the
 * canonical form the schema produces is accepted, since that is what will be stored.
 */
export function checkPayload<T extends DecisionType>(type: T, payload: unknown): DecisionPayloads[T] {
  return checkWith(DECISION_PAYLOAD_SCHEMAS[type], payload) as DecisionPayloads[T];
}

/** The same for the actions on a delivery activity (run by its workflow's Update validators). */
export function checkActivityPayload<A extends ActivityAction>(action: A, payload: unknown): ActivityPayloads[A] {
  return checkWith(ACTIVITY_PAYLOAD_SCHEMAS[action], payload) as ActivityPayloads[A];
}

function checkWith(schema: z.ZodType, payload: unknown): unknown {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const [first] = fieldErrors(result.error);
    invalid(first.field, first.reason);
  }
  const diff = firstDifference(result.data, payload);
  if (diff) invalid(fieldPath(diff) || '(body)', 'is not in canonical form (normalised text, capital codes)');
  return result.data;
}

/**
 * Throws a DomainError if the decision may not be applied now. Pure: the workflow runs it as
 * the Update validator, so a refused decision never enters history.
 */
export function validateDecision(state: RequestState, decision: Decision, now?: number): void {
  const rule = Object.hasOwn(DECISION_RULES, decision.type) ? DECISION_RULES[decision.type] : undefined;
  if (!rule) refuse('INVALID_PAYLOAD', 'type', `unknown decision type ${String(decision.type)}`);
  if (state.stage === Stage.Closed) refuse('REQUEST_CLOSED', undefined, `request ${state.reference} is closed`);
  if (!rule.roles.includes(decision.actor.role)) {
    refuse('ROLE_NOT_ALLOWED', undefined, `${decision.actor.role} may not ${decision.type}`);
  }
  if (decision.actor.role === Role.MemberState && decision.actor.memberState !== state.memberState) {
    refuse('ROLE_NOT_ALLOWED', undefined, `only ${state.memberState} may act on this request`);
  }
  if (!rule.stages.includes(state.stage)) {
    refuse('STAGE_NOT_ALLOWED', undefined, `${decision.type} is not allowed in stage ${state.stage}`);
  }
  // Stored as request_events.decision_id, a varchar(200).
  if (typeof decision.decisionId !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(decision.decisionId)) {
    invalid('decisionId', 'must be 1 to 200 printable ASCII characters');
  }
  const payload = checkPayload(decision.type, decision.payload);
  PRECONDITIONS[decision.type]?.(state);
  CONTEXT_CHECKS[decision.type](state, payload as never);
  // `now` is the workflow clock: facts dated after it have not happened yet.
  if (now !== undefined && decision.type === 'record_indicators')
    checkIndicatorDates(payload as DecisionPayloads['record_indicators'], now);
}

/** Indicators carry the date of the fact itself: a ratification deposited, a law drafted or adopted. */
function checkIndicatorDates(p: DecisionPayloads['record_indicators'], now: number): void {
  const latest = latestPossibleDate(now);
  (p?.ratifications ?? []).forEach((r, i) => {
    if (r.depositedOn > latest) invalid(`ratifications[${i}].depositedOn`, 'must not be in the future');
  });
  (p?.laws ?? []).forEach((l, i) => {
    if (l.date > latest) invalid(`laws[${i}].date`, 'must not be in the future');
  });
}

/**
 * What the request's state must be for a decision whatever its payload (a plan to accept, an
 * agreed and consulted plan to approve, ...). Also what tells a user which decisions they can take
 * now (availableDecisions), so no form is offered that could only be refused.
 */
const PRECONDITIONS: { [T in DecisionType]?: (state: RequestState) => void } = {
  accept_plan: (s) => {
    if (s.plan?.status !== 'proposed') refuse('PLAN_NOT_READY', undefined, 'there is no proposed plan to accept');
  },
  request_plan_revision: (s) => {
    if (s.plan?.status !== 'proposed') refuse('PLAN_NOT_READY', undefined, 'there is no proposed plan to revise');
  },
  record_cted_consultation: (s) => {
    if (!s.plan) refuse('PLAN_NOT_READY', undefined, 'there is no plan to consult CTED on');
  },
  approve_plan: (s) => {
    if (s.plan?.status !== 'agreed') refuse('PLAN_NOT_READY', undefined, 'the State has not agreed the plan');
    if (!s.plan.ctedConsulted) refuse('PLAN_NOT_READY', undefined, 'CTED has not been consulted on the plan');
  },
  complete_delivery: (s) => {
    if (s.activities.some((a) => a.status === 'scheduled')) {
      refuse('PLAN_NOT_READY', undefined, 'some activities are still scheduled');
    }
    if (!s.activities.some((a) => a.status === 'delivered')) {
      refuse('PLAN_NOT_READY', undefined, 'no activity was delivered');
    }
  },
};

/**
 * The decisions this actor can take on this request now: allowed by role, State and stage
 * (allowedDecisions) and whose preconditions the state meets. What is still refused depends only
 * on what is sent.
 */
export function availableDecisions(
  state: RequestState,
  actor: { role: Role; memberState?: string | null },
): DecisionType[] {
  return allowedDecisions(state, actor).filter((type) => {
    try {
      PRECONDITIONS[type]?.(state);
      return true;
    } catch (err) {
      if (err instanceof DomainError) return false;
      throw err;
    }
  });
}

/** The checks that need the request's state; the payload's shape is already checked. */
type Checks = { [T in DecisionType]: (state: RequestState, payload: DecisionPayloads[T]) => void };

const CONTEXT_CHECKS: Checks = {
  request_information: () => {},
  provide_information: () => {},
  refer_needs: (s, p) => {
    const referred = new Set<string>();
    p.referrals.forEach((r, i) => {
      for (const id of r.needIds) {
        if (!s.needs.some((n) => n.id === id))
          refuse('UNKNOWN_NEED', `referrals[${i}].needIds`, `need ${id} is not part of this request`);
        if (referred.has(id)) refuse('INVALID_PAYLOAD', `referrals[${i}].needIds`, `need ${id} is referred twice`);
        referred.add(id);
      }
    });
    const missing = s.needs.filter((n) => !referred.has(n.id)).map((n) => n.id);
    if (missing.length)
      refuse('INVALID_PAYLOAD', 'referrals', `every need must be referred; not referred: ${missing.join(', ')}`);
  },
  decline: () => {},
  record_referral_outcome: (s, p) => {
    const referral = s.referrals.find((r) => r.id === p.referralId);
    if (!referral) refuse('UNKNOWN_REFERRAL', 'referralId', `referral ${p.referralId} does not exist`);
    if (referral.provider.kind !== 'external')
      refuse('INVALID_PAYLOAD', 'referralId', 'the outcome of a UNODC referral follows from its delivery');
    if (referral.outcome) refuse('ALREADY_RECORDED', 'referralId', `referral ${referral.id} already has an outcome`);
  },
  propose_plan: (s, p) => {
    if (s.plan && !['proposed', 'revision_requested'].includes(s.plan.status)) {
      refuse('PLAN_NOT_READY', undefined, `plan is ${s.plan.status} and can no longer be revised`);
    }
    const keys = new Set<string>();
    const sharedKeys = new Set<string>();
    p.activities.forEach((a, i) => {
      const f = `activities[${i}]`;
      if (keys.has(a.key)) invalid(`${f}.key`, `${a.key} is used twice`);
      keys.add(a.key);
      if (!s.thematicAreas.includes(a.thematicArea)) invalid(`${f}.thematicArea`, "must be one of the request's areas");
      if (!a.participatingStates.includes(s.memberState))
        invalid(`${f}.participatingStates`, `must include ${s.memberState}`);
      if (a.sharedKey !== undefined) {
        if (sharedKeys.has(a.sharedKey)) invalid(`${f}.sharedKey`, `${a.sharedKey} is used twice`);
        sharedKeys.add(a.sharedKey);
        if (!SHARED_ACTIVITY_LEVELS.includes(MODALITIES[a.modality]))
          invalid(`${f}.modality`, 'of a shared activity must be subregional, regional or international');
        if (!a.participatingStates.some((c) => c !== s.memberState))
          invalid(`${f}.participatingStates`, `of a shared activity must name another State besides ${s.memberState}`);
      }
    });
  },
  // A proposed plan is a precondition (PRECONDITIONS): here only the version sent.
  accept_plan: (s, p) => {
    if (p.planVersion !== s.plan!.version) invalid('planVersion', `must be the proposed version ${s.plan!.version}`);
  },
  request_plan_revision: (s, p) => {
    if (p.planVersion !== s.plan!.version) invalid('planVersion', `must be the proposed version ${s.plan!.version}`);
  },
  record_cted_consultation: () => {},
  approve_plan: () => {},
  record_funding: (s, p) => {
    if (s.funding.some((f) => f.pledgeRef === p.pledgeRef)) {
      refuse('ALREADY_RECORDED', 'pledgeRef', `pledge ${p.pledgeRef} is already recorded`);
    }
  },
  complete_delivery: () => {},
  record_indicators: () => {},
  submit_evaluation: () => {},
  withdraw: () => {},
};
