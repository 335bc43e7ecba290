import { DomainEvent, SYSTEM_ACTOR, enterStage } from './decisions';
import { Referral, RequestState } from './request-state';
import { Outcome, Role, STAGE_OWNER, Stage } from './stage';

export interface OwnerDeadline {
  /** Owner's working days (clock stopped while waiting on the State) until the stage is overdue. */
  dueDays: number;
  /** Days between reminders; the first reminder comes with the overdue notice, at `dueDays`. */
  reminderEveryDays: number;
  /** Days (same clock) after which the owner's supervisor is told; no reminder follows it. */
  escalateDays: number;
  /**
   * Timer rules 2 on: at most this many reminders per stage (or per referral). Absent in
   * configurations stored before the cap existed: DEFAULT_MAX_OWNER_REMINDERS.
   */
  maxReminders?: number;
}

/** Any part of a deadline configuration, field by field (CTAP_DEADLINES, its `urgent` block). */
export interface DeadlineOverrides {
  dayMs?: number;
  owner?: Partial<Record<Stage, Partial<OwnerDeadline>>>;
  referral?: Partial<OwnerDeadline>;
  information?: Partial<DeadlineConfig['information']>;
  planAgreement?: Partial<DeadlineConfig['planAgreement']>;
  evaluation?: Partial<DeadlineConfig['evaluation']>;
}

export interface DeadlineConfig {
  /**
   * Length of a "day" in milliseconds (default 86,400,000). Only demonstrations and drills shorten
   * it; each workflow keeps the configuration it was started with.
   */
  dayMs?: number;
  owner: Partial<Record<Stage, OwnerDeadline>>;
  /**
   * CTED's clock on each referral to an external provider, from the day of the referral until
   * CTED records its outcome (timer rules 2 on). Absent in older stored configurations: the
   * external_referral stage's deadlines.
   */
  referral?: OwnerDeadline;
  information: { reminderEveryDays: number; maxReminders: number; lapseAfterLastReminderDays: number };
  planAgreement: { reminderEveryDays: number; maxReminders: number };
  evaluation: { issueAfterDays: number; reminderEveryDays: number; maxReminders: number; closeAfterIssueDays: number };
  /**
   * Deployment settings only: what an urgent request changes (field by field). Resolved once, at
   * submission, by `deadlinesFor`; a request's stored configuration never carries it.
   */
  urgent?: DeadlineOverrides;
  /** Stamped by `deadlinesFor` on a request's own configuration: which row it was built from. */
  urgency?: 'routine' | 'urgent';
  /**
   * Which timer rules the request's workflow runs by. Stamped by the workflow (behind
   * `patched()`), never by a deployment; the API computes `upcoming` with the same rules.
   * Absent (1): owner reminders until the stage ends, no referral clocks. 2: reminders capped
   * (`maxReminders`) and stopped by escalation, escalation names the supervisor role, and each
   * external referral runs its own clock.
   */
  timerRules?: number;
}

/** The timer rules new workflow runs use (see DeadlineConfig.timerRules). */
export const CURRENT_TIMER_RULES = 2;

/** Reminders per stage clock when a configuration does not say (timer rules 2). */
export const DEFAULT_MAX_OWNER_REMINDERS = 3;

/**
 * Defaults, documented in the README (days). Every value can be overridden per deployment
 * (CTAP_DEADLINES); `urgent` lists what an urgent request shortens.
 */
export const DEFAULT_DEADLINES: DeadlineConfig = {
  owner: {
    [Stage.CtedReview]: { dueDays: 30, reminderEveryDays: 7, escalateDays: 45, maxReminders: 3 },
    [Stage.ExternalReferral]: { dueDays: 180, reminderEveryDays: 30, escalateDays: 270, maxReminders: 3 },
    [Stage.UnodcPlanning]: { dueDays: 60, reminderEveryDays: 14, escalateDays: 90, maxReminders: 3 },
    [Stage.AwaitingFunding]: { dueDays: 120, reminderEveryDays: 30, escalateDays: 180, maxReminders: 3 },
    [Stage.Delivery]: { dueDays: 365, reminderEveryDays: 30, escalateDays: 455, maxReminders: 3 },
  },
  referral: { dueDays: 180, reminderEveryDays: 30, escalateDays: 270, maxReminders: 3 },
  information: { reminderEveryDays: 14, maxReminders: 3, lapseAfterLastReminderDays: 14 },
  planAgreement: { reminderEveryDays: 14, maxReminders: 4 },
  evaluation: { issueAfterDays: 30, reminderEveryDays: 21, maxReminders: 2, closeAfterIssueDays: 90 },
  urgent: {
    owner: {
      [Stage.CtedReview]: { dueDays: 10, reminderEveryDays: 2, escalateDays: 15 },
      [Stage.ExternalReferral]: { dueDays: 90, reminderEveryDays: 14, escalateDays: 135 },
      [Stage.UnodcPlanning]: { dueDays: 20, reminderEveryDays: 5, escalateDays: 30 },
      [Stage.AwaitingFunding]: { dueDays: 45, reminderEveryDays: 14, escalateDays: 75 },
      [Stage.Delivery]: { dueDays: 180, reminderEveryDays: 14, escalateDays: 225 },
    },
    referral: { dueDays: 90, reminderEveryDays: 14, escalateDays: 135 },
    information: { reminderEveryDays: 7, lapseAfterLastReminderDays: 7 },
    planAgreement: { reminderEveryDays: 7 },
  },
};

/**
 * `base` with `overrides` applied field by field (a stage entry keeps the fields the override
 * does not name). Pure: used for CTAP_DEADLINES over the defaults and for the urgent row.
 */
export function mergeDeadlines(
  base: DeadlineConfig,
  overrides: DeadlineOverrides & { urgent?: DeadlineOverrides },
): DeadlineConfig {
  const owner: DeadlineConfig['owner'] = { ...base.owner };
  for (const [stage, o] of Object.entries(overrides.owner ?? {}) as [Stage, Partial<OwnerDeadline>][]) {
    owner[stage] = { ...base.owner[stage], ...o } as OwnerDeadline;
  }
  const merged: DeadlineConfig = {
    ...base,
    owner,
    information: { ...base.information, ...overrides.information },
    planAgreement: { ...base.planAgreement, ...overrides.planAgreement },
    evaluation: { ...base.evaluation, ...overrides.evaluation },
  };
  if (overrides.dayMs !== undefined) merged.dayMs = overrides.dayMs;
  if (base.referral || overrides.referral)
    merged.referral = { ...base.referral, ...overrides.referral } as OwnerDeadline;
  if (overrides.urgent) merged.urgent = mergeOverrides(base.urgent ?? {}, overrides.urgent);
  return merged;
}

function mergeOverrides(a: DeadlineOverrides, b: DeadlineOverrides): DeadlineOverrides {
  const owner: DeadlineOverrides['owner'] = { ...a.owner };
  for (const [stage, o] of Object.entries(b.owner ?? {}) as [Stage, Partial<OwnerDeadline>][]) {
    owner[stage] = { ...a.owner?.[stage], ...o };
  }
  return {
    ...a,
    ...b,
    owner,
    referral: { ...a.referral, ...b.referral },
    information: { ...a.information, ...b.information },
    planAgreement: { ...a.planAgreement, ...b.planAgreement },
    evaluation: { ...a.evaluation, ...b.evaluation },
  };
}

/**
 * A request's own deadline configuration, fixed at submission and stored with it: the
 * deployment's settings, with the `urgent` row applied for an urgent request.
 */
export function deadlinesFor(settings: DeadlineConfig, urgency: 'routine' | 'urgent'): DeadlineConfig {
  const { urgent, ...routine } = settings;
  const own = urgency === 'urgent' && urgent ? mergeDeadlines(routine, urgent) : routine;
  return { ...own, urgency };
}

/** The configuration with the given timer rules stamped (undefined: the original rules, 1). */
export function withTimerRules(cfg: DeadlineConfig, rules: number | undefined): DeadlineConfig {
  const { timerRules: _previous, ...rest } = cfg;
  return rules === undefined ? rest : { ...rest, timerRules: rules };
}

/** The supervisor role an escalation of this owner's clock goes to (roles added with assignment). */
export const ESCALATION_SUPERVISOR: Readonly<Record<string, string>> = {
  [Role.CtedOfficer]: 'cted_supervisor',
  [Role.UnodcManager]: 'unodc_supervisor',
};

export const DAY_MS = 24 * 60 * 60 * 1000;

export type TimerKind =
  | 'owner_reminder'
  | 'owner_escalation'
  | 'referral_reminder'
  | 'referral_escalation'
  | 'state_reminder'
  | 'information_lapsed'
  | 'evaluation_issued'
  | 'evaluation_not_received';

export interface ScheduledTimer {
  kind: TimerKind;
  /** Epoch milliseconds (workflow clock). */
  at: number;
  /** Referral clocks only: which referral. */
  referralId?: string;
}

/** CTED's clock on one external referral (timer rules 2): it runs from the referral until its outcome. */
export interface ReferralClock {
  remindersSent: number;
  overdue: boolean;
  escalated: boolean;
}

const rulesOf = (cfg: DeadlineConfig) => cfg.timerRules ?? 1;

/** The deadlines of CTED's clock on an external referral: `referral`, else the external_referral stage's. */
export function referralDeadline(cfg: DeadlineConfig): OwnerDeadline | undefined {
  return cfg.referral ?? cfg.owner[Stage.ExternalReferral];
}

/** External referrals whose outcome CTED has still to record, while the request is open. */
export function openExternalReferrals(state: RequestState): Referral[] {
  if (state.stage === Stage.Closed) return [];
  return state.referrals.filter((r) => r.provider.kind === 'external' && !r.outcome);
}

/**
 * Whether a reminder may still go out on a clock (timer rules 2): fewer than `maxReminders` sent
 * and not escalated (after escalation the supervisor has it; reminders would only be noise).
 */
export function mayRemind(
  d: OwnerDeadline,
  clock: { remindersSent: number; escalated: boolean },
  cfg: DeadlineConfig,
): boolean {
  if (rulesOf(cfg) < 2) return true;
  return !clock.escalated && clock.remindersSent < (d.maxReminders ?? DEFAULT_MAX_OWNER_REMINDERS);
}

/**
 * A referral clock before it first fires. In the external_referral stage it takes over from the
 * stage clock: a run that counted reminders on the stage clock (timer rules 1, continued as new
 * under rules 2) goes on from there instead of sending them all again; under rules 2 from the
 * start that stage clock never fires, so this is a fresh clock.
 */
function startingReferralClock(state: RequestState): ReferralClock {
  if (state.stage !== Stage.ExternalReferral) return { remindersSent: 0, overdue: false, escalated: false };
  const { remindersSent, overdue, escalated } = state.clock;
  return { remindersSent, overdue, escalated };
}

/**
 * Whether the stage clock's timers run. With timer rules 2 the external_referral stage has none
 * of its own: each open external referral runs its own clock instead.
 */
function stageClockRuns(state: RequestState, cfg: DeadlineConfig): boolean {
  return !(rulesOf(cfg) >= 2 && state.stage === Stage.ExternalReferral);
}

/** Every deadline the request will meet from now if nobody acts, earliest first. */
export function upcomingTimers(state: RequestState, cfg: DeadlineConfig): ScheduledTimer[] {
  if (state.stage === Stage.Closed) return [];
  const timers: ScheduledTimer[] = [];
  const DAY = cfg.dayMs ?? DAY_MS;
  const owner = cfg.owner[state.stage];
  const { clock } = state;
  if (owner && clock.runningSince !== null && stageClockRuns(state, cfg)) {
    const atElapsed = (elapsed: number) => clock.runningSince! + (elapsed - clock.elapsedMs);
    if (mayRemind(owner, clock, cfg)) {
      timers.push({
        kind: 'owner_reminder',
        at: atElapsed((owner.dueDays + clock.remindersSent * owner.reminderEveryDays) * DAY),
      });
    }
    if (!clock.escalated) timers.push({ kind: 'owner_escalation', at: atElapsed(owner.escalateDays * DAY) });
  }
  if (rulesOf(cfg) >= 2) timers.push(...referralTimers(state, cfg));
  const wait = state.stateWait;
  if (wait?.kind === 'information') {
    const c = cfg.information;
    if (wait.remindersSent < c.maxReminders) {
      timers.push({ kind: 'state_reminder', at: wait.since + (wait.remindersSent + 1) * c.reminderEveryDays * DAY });
    }
    timers.push({
      kind: 'information_lapsed',
      at: wait.since + (c.maxReminders * c.reminderEveryDays + c.lapseAfterLastReminderDays) * DAY,
    });
  } else if (wait?.kind === 'plan_agreement') {
    const c = cfg.planAgreement;
    if (wait.remindersSent < c.maxReminders) {
      timers.push({ kind: 'state_reminder', at: wait.since + (wait.remindersSent + 1) * c.reminderEveryDays * DAY });
    }
  } else if (wait?.kind === 'evaluation') {
    const c = cfg.evaluation;
    if (wait.issuedAt === null) {
      timers.push({ kind: 'evaluation_issued', at: wait.since + c.issueAfterDays * DAY });
    } else {
      if (wait.remindersSent < c.maxReminders) {
        timers.push({
          kind: 'state_reminder',
          at: wait.issuedAt + (wait.remindersSent + 1) * c.reminderEveryDays * DAY,
        });
      }
      timers.push({ kind: 'evaluation_not_received', at: wait.issuedAt + c.closeAfterIssueDays * DAY });
    }
  }
  // Stable sort: on a tie the stage clock's timers keep their place before the referrals'.
  return timers.sort((a, b) => a.at - b.at);
}

/**
 * CTED's clocks on the external referrals still without an outcome (timer rules 2). Each runs in
 * calendar days from the referral, whatever the stage: the provider, not the State, is awaited.
 */
function referralTimers(state: RequestState, cfg: DeadlineConfig): ScheduledTimer[] {
  const d = referralDeadline(cfg);
  if (!d) return [];
  const DAY = cfg.dayMs ?? DAY_MS;
  const timers: ScheduledTimer[] = [];
  for (const r of openExternalReferrals(state)) {
    const since = Date.parse(r.referredAt);
    const clock = r.clock ?? startingReferralClock(state);
    if (mayRemind(d, clock, cfg)) {
      timers.push({
        kind: 'referral_reminder',
        referralId: r.id,
        at: since + (d.dueDays + clock.remindersSent * d.reminderEveryDays) * DAY,
      });
    }
    if (!clock.escalated)
      timers.push({ kind: 'referral_escalation', referralId: r.id, at: since + d.escalateDays * DAY });
  }
  return timers;
}

/**
 * Whether whoever the request waits on is late: the stage clock's flag, or (timer rules 2, in the
 * external_referral stage, where the referrals' clocks replace the stage's) any open referral's.
 */
export function ownerOverdue(state: RequestState, cfg: DeadlineConfig): boolean {
  if (state.clock.overdue) return true;
  if (stageClockRuns(state, cfg)) return false;
  return openExternalReferrals(state).some((r) => r.clock?.overdue);
}

export function nextTimer(state: RequestState, cfg: DeadlineConfig): ScheduledTimer | null {
  return upcomingTimers(state, cfg)[0] ?? null;
}

/** Applies a timer that came due. Mutates state; returns the events to record. */
export function applyTimer(state: RequestState, timer: ScheduledTimer, now: number): DomainEvent[] {
  const at = new Date(now).toISOString();
  const events: DomainEvent[] = [];
  const emit = (type: string, payload: Record<string, unknown> = {}) =>
    events.push({ type, actor: SYSTEM_ACTOR, at, payload });
  const owner = STAGE_OWNER[state.stage];
  switch (timer.kind) {
    case 'owner_reminder':
      state.clock.remindersSent += 1;
      if (!state.clock.overdue) {
        state.clock.overdue = true;
        emit('overdue', { stage: state.stage, owner });
      }
      emit('deadline_reminder', { stage: state.stage, owner, reminder: state.clock.remindersSent });
      break;
    case 'owner_escalation':
      state.clock.escalated = true;
      emit('escalated', { stage: state.stage, owner, escalatedTo: escalatedTo(owner) });
      break;
    case 'referral_reminder':
    case 'referral_escalation':
      applyReferralTimer(state, timer, emit);
      break;
    case 'state_reminder':
      state.stateWait!.remindersSent += 1;
      emit('state_reminder', { waitingFor: state.stateWait!.kind, reminder: state.stateWait!.remindersSent });
      break;
    case 'evaluation_issued':
      state.stateWait!.issuedAt = now;
      emit('evaluation_questionnaire_issued', {});
      break;
    case 'information_lapsed':
    case 'evaluation_not_received': {
      const outcome = timer.kind === 'information_lapsed' ? Outcome.Lapsed : Outcome.EvaluationNotReceived;
      emit(timer.kind, {});
      enterStage(state, Stage.Closed, now, emit);
      state.clock.runningSince = null;
      state.outcome = outcome;
      emit('closed', { outcome });
      break;
    }
  }
  return events;
}

/** The supervisor role told of an escalation of `owner`'s clock (null for a clock nobody supervises). */
export function escalatedTo(owner: Role | string | null): string | null {
  return (owner && ESCALATION_SUPERVISOR[owner]) ?? null;
}

/** A referral clock came due: CTED (who records the outcome) is reminded, or its supervisor told. */
function applyReferralTimer(
  state: RequestState,
  timer: ScheduledTimer,
  emit: (type: string, payload?: Record<string, unknown>) => void,
): void {
  const referral = state.referrals.find((r) => r.id === timer.referralId);
  if (!referral) return;
  const clock = (referral.clock ??= startingReferralClock(state));
  const owner = Role.CtedOfficer;
  const base = { referralId: referral.id, stage: state.stage, owner };
  if (timer.kind === 'referral_escalation') {
    clock.escalated = true;
    emit('referral_escalated', { ...base, escalatedTo: escalatedTo(owner) });
    return;
  }
  clock.remindersSent += 1;
  if (!clock.overdue) {
    clock.overdue = true;
    emit('referral_overdue', base);
  }
  emit('referral_reminder', { ...base, reminder: clock.remindersSent });
}
