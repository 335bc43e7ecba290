import { DomainEvent, SYSTEM_ACTOR, enterStage } from './decisions';
import { RequestState } from './request-state';
import { Outcome, STAGE_OWNER, Stage } from './stage';

export interface OwnerDeadline {
  /** Owner's working days (clock stopped while waiting on the State) until the stage is overdue. */
  dueDays: number;
  reminderEveryDays: number;
  escalateDays: number;
}

export interface DeadlineConfig {
  /**
   * Length of a "day" in milliseconds (default 86,400,000). Only demonstrations and drills shorten
   * it; each workflow keeps the configuration it was started with.
   */
  dayMs?: number;
  owner: Partial<Record<Stage, OwnerDeadline>>;
  information: { reminderEveryDays: number; maxReminders: number; lapseAfterLastReminderDays: number };
  planAgreement: { reminderEveryDays: number; maxReminders: number };
  evaluation: { issueAfterDays: number; reminderEveryDays: number; maxReminders: number; closeAfterIssueDays: number };
}

/** Defaults, documented in the README. Every value can be overridden per deployment. */
export const DEFAULT_DEADLINES: DeadlineConfig = {
  owner: {
    [Stage.CtedReview]: { dueDays: 30, reminderEveryDays: 7, escalateDays: 45 },
    [Stage.ExternalReferral]: { dueDays: 180, reminderEveryDays: 30, escalateDays: 270 },
    [Stage.UnodcPlanning]: { dueDays: 60, reminderEveryDays: 14, escalateDays: 90 },
    [Stage.AwaitingFunding]: { dueDays: 120, reminderEveryDays: 30, escalateDays: 180 },
    [Stage.Delivery]: { dueDays: 365, reminderEveryDays: 30, escalateDays: 455 },
  },
  information: { reminderEveryDays: 14, maxReminders: 3, lapseAfterLastReminderDays: 14 },
  planAgreement: { reminderEveryDays: 14, maxReminders: 4 },
  evaluation: { issueAfterDays: 30, reminderEveryDays: 21, maxReminders: 2, closeAfterIssueDays: 90 },
};

export const DAY_MS = 24 * 60 * 60 * 1000;

export type TimerKind =
  | 'owner_reminder'
  | 'owner_escalation'
  | 'state_reminder'
  | 'information_lapsed'
  | 'evaluation_issued'
  | 'evaluation_not_received';

export interface ScheduledTimer {
  kind: TimerKind;
  at: number;
}

/** Every deadline the request will meet from now if nobody acts, earliest first. */
export function upcomingTimers(state: RequestState, cfg: DeadlineConfig): ScheduledTimer[] {
  if (state.stage === Stage.Closed) return [];
  const timers: ScheduledTimer[] = [];
  const DAY = cfg.dayMs ?? DAY_MS;
  const owner = cfg.owner[state.stage];
  const { clock } = state;
  if (owner && clock.runningSince !== null) {
    const atElapsed = (elapsed: number) => clock.runningSince! + (elapsed - clock.elapsedMs);
    timers.push({
      kind: 'owner_reminder',
      at: atElapsed((owner.dueDays + clock.remindersSent * owner.reminderEveryDays) * DAY),
    });
    if (!clock.escalated) timers.push({ kind: 'owner_escalation', at: atElapsed(owner.escalateDays * DAY) });
  }
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
  return timers.sort((a, b) => a.at - b.at);
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
      emit('escalated', { stage: state.stage, owner });
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
