import type { Decision, DecisionPayloads, DecisionType } from './decision-rules';
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

/** What applying one decision of type T works with. */
interface Application<T extends DecisionType> {
  state: RequestState;
  payload: DecisionPayloads[T];
  /** Epoch milliseconds (workflow clock) and the same instant as ISO 8601. */
  now: number;
  at: string;
  /** Records a system event after the decision's own. */
  emit: Emit;
  effects: Effects;
}

/**
 * How each decision changes a request, one small function per type (the mapped type makes the
 * compiler refuse a decision type without one). The decision is already validated.
 */
const APPLY: { [T in DecisionType]: (a: Application<T>) => void } = {
  request_information: ({ state, payload, now, at, emit }) => {
    state.informationRequests.push({
      id: `info-${state.informationRequests.length + 1}`,
      questions: payload.questions,
      askedAt: at,
    });
    state.resumeStage = state.stage;
    enterStage(state, Stage.AwaitingInformation, now, emit);
  },
  provide_information: ({ state, payload, now, at, emit }) => {
    const open = state.informationRequests[state.informationRequests.length - 1];
    open.answer = payload.answer;
    open.answeredAt = at;
    enterStage(state, state.resumeStage ?? Stage.CtedReview, now, emit, { keepClock: true });
    state.resumeStage = undefined;
  },
  refer_needs: ({ state, payload, now, at, emit }) => {
    payload.referrals.forEach((r) =>
      state.referrals.push({ ...r, id: `ref-${state.referrals.length + 1}`, referredAt: at }),
    );
    const toUnodc = payload.referrals.some((r) => r.provider.kind === 'unodc_tpb');
    enterStage(state, toUnodc ? Stage.UnodcPlanning : Stage.ExternalReferral, now, emit);
  },
  decline: ({ state, now, emit }) => close(state, Outcome.Declined, now, emit),
  record_referral_outcome: ({ state, payload, now, at, emit }) => {
    const { referralId, delivered, notes } = payload;
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
  },
  propose_plan: ({ state, payload, now }) => {
    const { activities } = payload;
    state.plan = {
      version: (state.plan?.version ?? 0) + 1,
      status: 'proposed',
      activities,
      budgetUsd: activities.reduce((sum, a) => sum + a.budgetUsd, 0),
      ctedConsulted: state.plan?.ctedConsulted ?? false,
    };
    waitOnState(state, 'plan_agreement', now);
  },
  accept_plan: ({ state, now }) => {
    state.plan!.status = 'agreed';
    resumeOwnerClock(state, now);
  },
  request_plan_revision: ({ state, payload, now }) => {
    state.plan!.status = 'revision_requested';
    state.plan!.revisionComments = payload.comments;
    resumeOwnerClock(state, now);
  },
  record_cted_consultation: ({ state }) => {
    state.plan!.ctedConsulted = true;
  },
  approve_plan: ({ state, now, emit, effects }) => {
    state.plan!.status = 'approved';
    emit('cted_informed', { planVersion: state.plan!.version, budgetUsd: state.plan!.budgetUsd });
    if (fundedUsd(state) >= state.plan!.budgetUsd) startDelivery(state, now, emit, effects);
    else enterStage(state, Stage.AwaitingFunding, now, emit);
  },
  record_funding: ({ state, payload, now, at, emit, effects }) => {
    state.funding.push({ ...payload, recordedAt: at, released: false });
    if (state.stage === Stage.AwaitingFunding && fundedUsd(state) >= state.plan!.budgetUsd) {
      emit('funding_covered', { fundedUsd: fundedUsd(state), budgetUsd: state.plan!.budgetUsd });
      startDelivery(state, now, emit, effects);
    }
  },
  complete_delivery: ({ state, now, emit }) => {
    enterStage(state, Stage.FollowUpEvaluation, now, emit);
    state.stateWait = { kind: 'evaluation', since: now, remindersSent: 0, issuedAt: null };
  },
  record_indicators: ({ state, payload }) => {
    state.indicators.ratifications.push(...(payload.ratifications ?? []));
    state.indicators.laws.push(...(payload.laws ?? []));
    state.indicators.officialsTrained += payload.officialsTrained ?? 0;
  },
  submit_evaluation: ({ state, payload, now, at, emit, effects }) => {
    const furtherNeeds = (payload.furtherNeeds ?? []).map((n, i) => ({
      ...n,
      modalities: n.modalities ?? [],
      id: `need-${i + 1}`,
    }));
    state.evaluation = {
      relevance: payload.relevance,
      usefulness: payload.usefulness,
      comments: payload.comments,
      furtherNeeds,
      submittedAt: at,
    };
    if (furtherNeeds.length) effects.openFollowUp = furtherNeeds;
    close(state, Outcome.Completed, now, emit);
  },
  withdraw: ({ state, now, emit, effects }) => {
    effects.cancelActivities = state.activities.filter((a) => a.status === 'scheduled').map((a) => a.key);
    for (const f of state.funding.filter((x) => !x.released)) {
      f.released = true;
      emit('funding_released', { pledgeRef: f.pledgeRef, amountUsd: f.amountUsd });
    }
    close(state, Outcome.Withdrawn, now, emit);
  },
};

/**
 * Applies a validated decision. Mutates `state` (the workflow owns it) and returns the events to
 * record (the decision's own first, then the system's) and the side effects for the workflow to
 * carry out.
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
  const emit: Emit = (type, payload = {}) => events.push({ type, actor: SYSTEM_ACTOR, at, payload });
  const apply = APPLY[decision.type] as (a: Application<DecisionType>) => void;
  apply({ state, payload: decision.payload as never, now, at, emit, effects });
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
