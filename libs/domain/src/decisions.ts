import { DomainError } from './domain-error';
import {
  Actor,
  Evaluation,
  Need,
  OutcomeIndicators,
  PlannedActivity,
  Provider,
  RequestState,
  fundedUsd,
} from './request-state';
import { Outcome, Role, Stage } from './stage';
import { MODALITIES, SHARED_ACTIVITY_LEVELS, SHARED_KEY_PATTERN, THEMATIC_AREAS } from './taxonomy';

/** Payload of every human decision, keyed by decision type. */
export interface DecisionPayloads {
  request_information: { questions: string[] };
  provide_information: { answer: string };
  refer_needs: {
    referrals: { needIds: string[]; provider: Provider; rationale: string; assessmentRef?: string }[];
  };
  decline: { reason: string };
  record_referral_outcome: { referralId: string; delivered: boolean; notes: string };
  propose_plan: { activities: PlannedActivity[] };
  accept_plan: { planVersion: number };
  request_plan_revision: { planVersion: number; comments: string };
  record_cted_consultation: { summary: string };
  approve_plan: Record<string, never>;
  record_funding: { pledgeRef: string; donor: string; amountUsd: number };
  complete_delivery: { summary?: string };
  record_indicators: Partial<OutcomeIndicators>;
  submit_evaluation: Omit<Evaluation, 'submittedAt' | 'furtherNeeds'> & { furtherNeeds?: Omit<Need, 'id'>[] };
  withdraw: { reason: string };
}

export type DecisionType = keyof DecisionPayloads;

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

/** Who may take each decision, and in which stages. The single source for validators and docs. */
export const DECISION_RULES: Record<DecisionType, DecisionRule> = {
  request_information: { roles: [Role.CtedOfficer], stages: [Stage.CtedReview] },
  provide_information: { roles: [Role.MemberState], stages: [Stage.AwaitingInformation] },
  refer_needs: { roles: [Role.CtedOfficer], stages: [Stage.CtedReview] },
  decline: { roles: [Role.CtedOfficer], stages: [Stage.CtedReview] },
  record_referral_outcome: {
    roles: [Role.CtedOfficer],
    stages: OPEN.filter((s) => s !== Stage.CtedReview && s !== Stage.AwaitingInformation),
  },
  propose_plan: { roles: [Role.UnodcManager], stages: [Stage.UnodcPlanning] },
  accept_plan: { roles: [Role.MemberState], stages: [Stage.UnodcPlanning] },
  request_plan_revision: { roles: [Role.MemberState], stages: [Stage.UnodcPlanning] },
  record_cted_consultation: { roles: [Role.UnodcManager], stages: [Stage.UnodcPlanning, Stage.AwaitingFunding] },
  approve_plan: { roles: [Role.UnodcManager], stages: [Stage.UnodcPlanning] },
  record_funding: {
    roles: [Role.UnodcManager],
    stages: [Stage.UnodcPlanning, Stage.AwaitingFunding, Stage.Delivery],
  },
  complete_delivery: { roles: [Role.UnodcManager], stages: [Stage.Delivery] },
  record_indicators: { roles: [Role.UnodcManager], stages: [Stage.Delivery, Stage.FollowUpEvaluation] },
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

const ISO3 = /^[A-Z]{3}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(message: string): never {
  throw new DomainError('INVALID_PAYLOAD', message);
}

function text(value: unknown, field: string, max = 4000): string {
  if (typeof value !== 'string' || value.trim().length === 0) invalid(`${field} must be a non-empty string`);
  if (value.length > max) invalid(`${field} must be at most ${max} characters`);
  return value;
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    invalid(`${field} must be a non-negative integer`);
  }
  return value;
}

function date(value: unknown, field: string): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
    invalid(`${field} must be a date YYYY-MM-DD`);
  }
  return value;
}

/**
 * Throws a DomainError if the decision may not be applied now. Pure: the workflow runs it as
 * the Update validator, so a refused decision never enters history.
 */
export function validateDecision(state: RequestState, decision: Decision): void {
  const rule = DECISION_RULES[decision.type];
  if (!rule) throw new DomainError('INVALID_PAYLOAD', `unknown decision type ${String(decision.type)}`);
  if (state.stage === Stage.Closed) throw new DomainError('REQUEST_CLOSED', `request ${state.reference} is closed`);
  if (!rule.roles.includes(decision.actor.role)) {
    throw new DomainError('ROLE_NOT_ALLOWED', `${decision.actor.role} may not ${decision.type}`);
  }
  if (decision.actor.role === Role.MemberState && decision.actor.memberState !== state.memberState) {
    throw new DomainError('ROLE_NOT_ALLOWED', `only ${state.memberState} may act on this request`);
  }
  if (!rule.stages.includes(state.stage)) {
    throw new DomainError('STAGE_NOT_ALLOWED', `${decision.type} is not allowed in stage ${state.stage}`);
  }
  if (typeof decision.decisionId !== 'string' || decision.decisionId.length === 0 || decision.decisionId.length > 200) {
    invalid('decisionId must be a string of 1 to 200 characters');
  }
  PAYLOAD_CHECKS[decision.type](state, decision.payload as never);
}

type Checks = { [T in DecisionType]: (state: RequestState, payload: DecisionPayloads[T]) => void };

const PAYLOAD_CHECKS: Checks = {
  request_information: (_s, p) => {
    if (!Array.isArray(p?.questions) || p.questions.length === 0) invalid('questions must list at least one question');
    p.questions.forEach((q, i) => text(q, `questions[${i}]`));
  },
  provide_information: (_s, p) => void text(p?.answer, 'answer', 20000),
  refer_needs: (s, p) => {
    if (!Array.isArray(p?.referrals) || p.referrals.length === 0) invalid('referrals must list at least one referral');
    const referred = new Set<string>();
    p.referrals.forEach((r, i) => {
      text(r?.rationale, `referrals[${i}].rationale`);
      if (r.provider?.kind === 'external') text(r.provider.name, `referrals[${i}].provider.name`, 200);
      else if (r.provider?.kind !== 'unodc_tpb') invalid(`referrals[${i}].provider.kind must be unodc_tpb or external`);
      if (!Array.isArray(r.needIds) || r.needIds.length === 0) invalid(`referrals[${i}].needIds must not be empty`);
      for (const id of r.needIds) {
        if (!s.needs.some((n) => n.id === id))
          throw new DomainError('UNKNOWN_NEED', `need ${id} is not part of this request`);
        if (referred.has(id)) invalid(`need ${id} is referred twice`);
        referred.add(id);
      }
    });
    const missing = s.needs.filter((n) => !referred.has(n.id)).map((n) => n.id);
    if (missing.length) invalid(`every need must be referred; not referred: ${missing.join(', ')}`);
  },
  decline: (_s, p) => void text(p?.reason, 'reason'),
  record_referral_outcome: (s, p) => {
    const referral = s.referrals.find((r) => r.id === p?.referralId);
    if (!referral) throw new DomainError('UNKNOWN_REFERRAL', `referral ${String(p?.referralId)} does not exist`);
    if (referral.provider.kind !== 'external') invalid('the outcome of a UNODC referral follows from its delivery');
    if (referral.outcome) throw new DomainError('ALREADY_RECORDED', `referral ${referral.id} already has an outcome`);
    if (typeof p.delivered !== 'boolean') invalid('delivered must be a boolean');
    text(p.notes, 'notes');
  },
  propose_plan: (s, p) => {
    if (s.plan && !['proposed', 'revision_requested'].includes(s.plan.status)) {
      throw new DomainError('PLAN_NOT_READY', `plan is ${s.plan.status} and can no longer be revised`);
    }
    if (!Array.isArray(p?.activities) || p.activities.length === 0)
      invalid('activities must list at least one activity');
    const keys = new Set<string>();
    const sharedKeys = new Set<string>();
    p.activities.forEach((a, i) => {
      const f = `activities[${i}]`;
      text(a?.key, `${f}.key`, 80);
      if (keys.has(a.key)) invalid(`${f}.key ${a.key} is used twice`);
      keys.add(a.key);
      text(a.title, `${f}.title`, 300);
      if (typeof a.modality !== 'string' || !Object.hasOwn(MODALITIES, a.modality))
        invalid(`${f}.modality must be a delivery modality code`);
      if (!s.thematicAreas.includes(a.thematicArea)) invalid(`${f}.thematicArea must be one of the request's areas`);
      const start = date(a.startDate, `${f}.startDate`);
      const end = date(a.endDate, `${f}.endDate`);
      if (end < start) invalid(`${f}.endDate must not be before startDate`);
      text(a.place, `${f}.place`, 200);
      if (!Array.isArray(a.participatingStates) || !a.participatingStates.every((c) => ISO3.test(c))) {
        invalid(`${f}.participatingStates must be ISO 3166 alpha-3 codes`);
      }
      if (!a.participatingStates.includes(s.memberState))
        invalid(`${f}.participatingStates must include ${s.memberState}`);
      if (a.sharedKey !== undefined) {
        if (typeof a.sharedKey !== 'string' || !SHARED_KEY_PATTERN.test(a.sharedKey))
          invalid(`${f}.sharedKey must be 3 to 60 capital letters, digits or -`);
        if (sharedKeys.has(a.sharedKey)) invalid(`${f}.sharedKey ${a.sharedKey} is used twice`);
        sharedKeys.add(a.sharedKey);
        if (!SHARED_ACTIVITY_LEVELS.includes(MODALITIES[a.modality]))
          invalid(`${f}.modality of a shared activity must be subregional, regional or international`);
        if (!a.participatingStates.some((c) => c !== s.memberState))
          invalid(`${f}.participatingStates of a shared activity must name another State besides ${s.memberState}`);
      }
      if (!Array.isArray(a.partners)) invalid(`${f}.partners must be a list`);
      count(a.budgetUsd, `${f}.budgetUsd`);
    });
  },
  accept_plan: (s, p) => {
    if (s.plan?.status !== 'proposed') throw new DomainError('PLAN_NOT_READY', 'there is no proposed plan to accept');
    if (p?.planVersion !== s.plan.version) invalid(`planVersion must be the proposed version ${s.plan.version}`);
  },
  request_plan_revision: (s, p) => {
    if (s.plan?.status !== 'proposed') throw new DomainError('PLAN_NOT_READY', 'there is no proposed plan to revise');
    if (p?.planVersion !== s.plan.version) invalid(`planVersion must be the proposed version ${s.plan.version}`);
    text(p.comments, 'comments');
  },
  record_cted_consultation: (s, p) => {
    if (!s.plan) throw new DomainError('PLAN_NOT_READY', 'there is no plan to consult CTED on');
    text(p?.summary, 'summary');
  },
  approve_plan: (s) => {
    if (s.plan?.status !== 'agreed') throw new DomainError('PLAN_NOT_READY', 'the State has not agreed the plan');
    if (!s.plan.ctedConsulted) throw new DomainError('PLAN_NOT_READY', 'CTED has not been consulted on the plan');
  },
  record_funding: (s, p) => {
    text(p?.pledgeRef, 'pledgeRef', 120);
    text(p.donor, 'donor', 200);
    if (count(p.amountUsd, 'amountUsd') === 0) invalid('amountUsd must be positive');
    if (s.funding.some((f) => f.pledgeRef === p.pledgeRef)) {
      throw new DomainError('ALREADY_RECORDED', `pledge ${p.pledgeRef} is already recorded`);
    }
  },
  complete_delivery: (s) => {
    if (s.activities.some((a) => a.status === 'scheduled')) {
      throw new DomainError('PLAN_NOT_READY', 'some activities are still scheduled');
    }
    if (!s.activities.some((a) => a.status === 'delivered')) {
      throw new DomainError('PLAN_NOT_READY', 'no activity was delivered');
    }
  },
  record_indicators: (_s, p) => {
    const ratifications = p?.ratifications ?? [];
    const laws = p?.laws ?? [];
    if (!Array.isArray(ratifications) || !Array.isArray(laws)) invalid('ratifications and laws must be lists');
    ratifications.forEach((r, i) => {
      text(r?.instrument, `ratifications[${i}].instrument`, 40);
      date(r.depositedOn, `ratifications[${i}].depositedOn`);
    });
    laws.forEach((l, i) => {
      text(l?.title, `laws[${i}].title`, 300);
      if (l.status !== 'drafted' && l.status !== 'adopted') invalid(`laws[${i}].status must be drafted or adopted`);
      date(l.date, `laws[${i}].date`);
    });
    if (p?.officialsTrained !== undefined) count(p.officialsTrained, 'officialsTrained');
    if (!ratifications.length && !laws.length && !p?.officialsTrained) invalid('record at least one indicator');
  },
  submit_evaluation: (s, p) => {
    for (const field of ['relevance', 'usefulness'] as const) {
      const v = p?.[field];
      if (!Number.isInteger(v) || v < 1 || v > 5) invalid(`${field} must be an integer from 1 to 5`);
    }
    text(p.comments, 'comments', 20000);
    if (!Array.isArray(p.furtherNeeds ?? [])) invalid('furtherNeeds must be a list');
    (p.furtherNeeds ?? []).forEach((n, i) => {
      if (!(THEMATIC_AREAS as readonly string[]).includes(n?.thematicArea))
        invalid(`furtherNeeds[${i}].thematicArea must be a thematic area code`);
      text(n.description, `furtherNeeds[${i}].description`);
    });
  },
  withdraw: (_s, p) => void text(p?.reason, 'reason'),
};

/** What happened, as recorded in the event log. */
export interface DomainEvent {
  type: string;
  actor: Actor;
  at: string;
  decisionId?: string;
  payload: Record<string, unknown>;
}

export interface Effects {
  /** Delivery activities to start (child workflows). */
  startActivities: string[];
  /** Delivery activities to cancel. */
  cancelActivities: string[];
  /** Further needs that open new linked requests. */
  openFollowUp: Need[] | null;
}

export function noEffects(): Effects {
  return { startActivities: [], cancelActivities: [], openFollowUp: null };
}

export const SYSTEM_ACTOR: Actor = { userId: 'system', role: Role.System };

/**
 * Applies a validated decision. Mutates `state` (the workflow owns it) and returns the events to
 * record and the side effects for the workflow to carry out.
 */
export function applyDecision(
  state: RequestState,
  decision: Decision,
  now: number,
): { events: DomainEvent[]; effects: Effects } {
  const at = new Date(now).toISOString();
  const events: DomainEvent[] = [
    {
      type: decision.type,
      actor: decision.actor,
      at,
      decisionId: decision.decisionId,
      payload: decision.payload as Record<string, unknown>,
    },
  ];
  const effects = noEffects();
  const emit = (type: string, payload: Record<string, unknown> = {}) =>
    events.push({ type, actor: SYSTEM_ACTOR, at, payload });
  const p = decision.payload as never;
  switch (decision.type) {
    case 'request_information': {
      const { questions } = p as DecisionPayloads['request_information'];
      state.informationRequests.push({ id: `info-${state.informationRequests.length + 1}`, questions, askedAt: at });
      state.resumeStage = state.stage;
      enterStage(state, Stage.AwaitingInformation, now, emit);
      break;
    }
    case 'provide_information': {
      const open = state.informationRequests[state.informationRequests.length - 1];
      open.answer = (p as DecisionPayloads['provide_information']).answer;
      open.answeredAt = at;
      enterStage(state, state.resumeStage ?? Stage.CtedReview, now, emit, { keepClock: true });
      state.resumeStage = undefined;
      break;
    }
    case 'refer_needs': {
      const { referrals } = p as DecisionPayloads['refer_needs'];
      referrals.forEach((r) => state.referrals.push({ ...r, id: `ref-${state.referrals.length + 1}`, referredAt: at }));
      const toUnodc = referrals.some((r) => r.provider.kind === 'unodc_tpb');
      enterStage(state, toUnodc ? Stage.UnodcPlanning : Stage.ExternalReferral, now, emit);
      break;
    }
    case 'decline':
      close(state, Outcome.Declined, now, emit);
      break;
    case 'record_referral_outcome': {
      const { referralId, delivered, notes } = p as DecisionPayloads['record_referral_outcome'];
      const referral = state.referrals.find((r) => r.id === referralId)!;
      referral.outcome = { delivered, notes, recordedAt: at };
      if (state.stage === Stage.ExternalReferral && state.referrals.every((r) => r.outcome)) {
        const anyDelivered = state.referrals.some((r) => r.outcome?.delivered);
        close(
          state,
          anyDelivered ? Outcome.ReferredExternallyDelivered : Outcome.ReferredExternallyNotDelivered,
          now,
          emit,
        );
      }
      break;
    }
    case 'propose_plan': {
      const { activities } = p as DecisionPayloads['propose_plan'];
      state.plan = {
        version: (state.plan?.version ?? 0) + 1,
        status: 'proposed',
        activities,
        budgetUsd: activities.reduce((sum, a) => sum + a.budgetUsd, 0),
        ctedConsulted: state.plan?.ctedConsulted ?? false,
      };
      waitOnState(state, 'plan_agreement', now);
      break;
    }
    case 'accept_plan':
      state.plan!.status = 'agreed';
      resumeOwnerClock(state, now);
      break;
    case 'request_plan_revision':
      state.plan!.status = 'revision_requested';
      state.plan!.revisionComments = (p as DecisionPayloads['request_plan_revision']).comments;
      resumeOwnerClock(state, now);
      break;
    case 'record_cted_consultation':
      state.plan!.ctedConsulted = true;
      break;
    case 'approve_plan':
      state.plan!.status = 'approved';
      emit('cted_informed', { planVersion: state.plan!.version, budgetUsd: state.plan!.budgetUsd });
      if (fundedUsd(state) >= state.plan!.budgetUsd) startDelivery(state, now, emit, effects);
      else enterStage(state, Stage.AwaitingFunding, now, emit);
      break;
    case 'record_funding': {
      const f = p as DecisionPayloads['record_funding'];
      state.funding.push({ ...f, recordedAt: at, released: false });
      if (state.stage === Stage.AwaitingFunding && fundedUsd(state) >= state.plan!.budgetUsd) {
        emit('funding_covered', { fundedUsd: fundedUsd(state), budgetUsd: state.plan!.budgetUsd });
        startDelivery(state, now, emit, effects);
      }
      break;
    }
    case 'complete_delivery':
      enterStage(state, Stage.FollowUpEvaluation, now, emit);
      state.stateWait = { kind: 'evaluation', since: now, remindersSent: 0, issuedAt: null };
      break;
    case 'record_indicators': {
      const i = p as DecisionPayloads['record_indicators'];
      state.indicators.ratifications.push(...(i.ratifications ?? []));
      state.indicators.laws.push(...(i.laws ?? []));
      state.indicators.officialsTrained += i.officialsTrained ?? 0;
      break;
    }
    case 'submit_evaluation': {
      const e = p as DecisionPayloads['submit_evaluation'];
      const furtherNeeds = (e.furtherNeeds ?? []).map((n, i) => ({
        ...n,
        modalities: n.modalities ?? [],
        id: `need-${i + 1}`,
      }));
      state.evaluation = {
        relevance: e.relevance,
        usefulness: e.usefulness,
        comments: e.comments,
        furtherNeeds,
        submittedAt: at,
      };
      if (furtherNeeds.length) effects.openFollowUp = furtherNeeds;
      close(state, Outcome.Completed, now, emit);
      break;
    }
    case 'withdraw': {
      effects.cancelActivities = state.activities.filter((a) => a.status === 'scheduled').map((a) => a.key);
      for (const f of state.funding.filter((x) => !x.released)) {
        f.released = true;
        emit('funding_released', { pledgeRef: f.pledgeRef, amountUsd: f.amountUsd });
      }
      close(state, Outcome.Withdrawn, now, emit);
      break;
    }
  }
  return { events, effects };
}

type Emit = (type: string, payload?: Record<string, unknown>) => void;

function freshClock(now: number): RequestState['clock'] {
  return { elapsedMs: 0, runningSince: now, remindersSent: 0, overdue: false, escalated: false };
}

export function enterStage(
  state: RequestState,
  stage: Stage,
  now: number,
  emit: Emit,
  opts: { keepClock?: boolean } = {},
): void {
  const from = state.stage;
  state.stage = stage;
  state.stageEnteredAt = now;
  state.stateWait = null;
  if (stage === Stage.AwaitingInformation) {
    pauseOwnerClock(state, now);
    state.stateWait = { kind: 'information', since: now, remindersSent: 0, issuedAt: null };
  } else if (opts.keepClock) {
    state.clock.runningSince = now;
  } else {
    state.clock = freshClock(now);
  }
  emit('stage_changed', { from, to: stage });
}

function close(state: RequestState, outcome: Outcome, now: number, emit: Emit): void {
  enterStage(state, Stage.Closed, now, emit);
  pauseOwnerClock(state, now);
  state.outcome = outcome;
  emit('closed', { outcome });
}

function startDelivery(state: RequestState, now: number, emit: Emit, effects: Effects): void {
  enterStage(state, Stage.Delivery, now, emit);
  state.activities = state.plan!.activities.map((a) => ({ key: a.key, status: 'scheduled' }));
  effects.startActivities = state.plan!.activities.map((a) => a.key);
}

function pauseOwnerClock(state: RequestState, now: number): void {
  if (state.clock.runningSince !== null) {
    state.clock.elapsedMs += now - state.clock.runningSince;
    state.clock.runningSince = null;
  }
}

function resumeOwnerClock(state: RequestState, now: number): void {
  state.stateWait = null;
  if (state.clock.runningSince === null) state.clock.runningSince = now;
}

function waitOnState(state: RequestState, kind: 'plan_agreement', now: number): void {
  pauseOwnerClock(state, now);
  state.stateWait = { kind, since: now, remindersSent: 0, issuedAt: null };
}
