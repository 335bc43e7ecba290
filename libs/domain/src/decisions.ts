import type { Decision, DecisionPayloads } from './decision-rules';
import { Actor, Need, RequestState, fundedUsd } from './request-state';
import { Outcome, Role, Stage } from './stage';

// The state application: how a validated decision changes a request. Who may decide what is in
// decision-rules.ts, the payload and state checks in decision-checks.ts, the shapes in schemas/.

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
