import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  AssignmentCommand,
  DECISION_TYPES,
  Decision,
  DomainError,
  DomainEvent,
  Effects,
  NewRequest,
  RequestState,
  currentOwner,
  SYSTEM_ACTOR,
  Stage,
  applyAssignment,
  applyDecision,
  CURRENT_TIMER_RULES,
  DeadlineConfig,
  applyTimer,
  currentAssignee,
  initialState,
  nextTimer,
  ownerOverdue,
  withTimerRules,
  upcomingTimers,
  validateAssignment,
  validateDecision,
} from '@app/domain';
import {
  ASSIGNMENT_PATCH,
  ActivityFinished,
  AssistanceRequestInput,
  AssistanceRequestResult,
  AssistanceRequestWorkflow,
  LinkRequest,
  RequestView,
  SA_MEMBER_STATE,
  SA_OVERDUE,
  SA_REGION,
  SA_STAGE,
  SA_THEMATIC_AREAS,
  SHARED_ACTIVITIES_PATCH,
  SHARED_CLAIM_PATCH,
  STORAGE_FIRST_PATCH,
  TIMER_RULES_PATCH,
  ACTIVITY_OPTIONS,
  ReadModelSnapshot,
  activityEndStoredUpdate,
  activityFinishedSignal,
  assignmentUpdate,
  decisionUpdate,
  deliveryActivityWorkflowId,
  getRequestQuery,
  keyword,
  keywords,
  linkRequestSignal,
  refusal,
  requestWorkflowId,
  sharedDeliveryActivityWorkflowId,
  unlinkRequestSignal,
} from '@app/contracts';
import type { RequestActivities } from '@app/contracts';
import { storageRefusalOf } from './storage-refusal';
import { deliveryActivityWorkflow } from './delivery-activity.workflow';

export type { AssistanceRequestInput, AssistanceRequestResult } from '@app/contracts';

const { persistEvents, claimSharedActivity } = proxyActivities<RequestActivities>(ACTIVITY_OPTIONS);

const HISTORY_BUDGET = 4000;
// Date.now() below is Temporal's workflow clock: deterministic, replayed from history, skipped in tests.
const REMEMBERED_DECISIONS = 2000;

export async function assistanceRequestWorkflow(input: AssistanceRequestInput): Promise<AssistanceRequestResult> {
  // Runs started before this patch keep applying a decision first and storing it after.
  const storageFirst = patched(STORAGE_FIRST_PATCH);
  const cfg = timerConfig(input.deadlines);
  const state: RequestState = input.carried?.state ?? initialState(input.request);
  const applied: string[] = [...(input.carried?.appliedDecisionIds ?? [])];
  let nextSeq = input.carried?.nextSeq ?? 1;
  let persistedSeq = nextSeq - 1;
  const pending: DomainEvent[] = [];
  const effects: Effects[] = [];
  /** One writer at a time: the main loop or one decision handler owns the next sequence numbers. */
  let storing = false;
  /** Bumped when a decision handler commits, so the main loop re-reads the timers. */
  let revision = 0;
  let effectsQueued = 0;
  let effectsCarried = 0;
  let lastAttributes = '';

  const record = (events: DomainEvent[]): number => {
    pending.push(...events);
    nextSeq += events.length;
    return nextSeq - 1;
  };
  const view = (): RequestView => ({ state, upcoming: upcomingTimers(state, cfg), lastEventSeq: persistedSeq });
  const snapshotOf = (s: RequestState): ReadModelSnapshot => {
    const upcoming = upcomingTimers(s, cfg);
    return {
      stage: s.stage,
      outcome: s.outcome ?? null,
      ownerRole: currentOwner(s),
      assigneeId: currentAssignee(s)?.userId ?? null,
      overdue: ownerOverdue(s, cfg),
      nextDeadlineAt: upcoming[0] ? new Date(upcoming[0].at).toISOString() : null,
      nextDeadlineKind: upcoming[0]?.kind ?? null,
      state: s,
      deadlines: cfg,
    };
  };
  const writable = () => !storing && pending.length === 0;
  const takeWriter = async () => {
    while (!writable()) await condition(writable);
    storing = true;
  };

  if (!input.carried) {
    record([
      {
        type: 'submitted',
        actor: SYSTEM_ACTOR,
        at: new Date(input.request.submittedAt).toISOString(),
        payload: {
          reference: state.reference,
          memberState: state.memberState,
          origin: state.origin,
          needs: state.needs,
          consent: state.consent ?? null,
          linkedFrom: state.linkedFrom ?? null,
        },
      },
    ]);
  }

  /**
   * A decision changes the state only once its events are stored: it is applied to a copy, the
   * copy's events and read model are written, and only then does the copy become the state. If
   * Postgres refuses the data for good, the decision is refused and the request is as before.
   */
  const decideStorageFirst = async (decision: DecisionStep): Promise<RequestView> => {
    const validated = revision;
    await takeWriter();
    let ticket = 0;
    try {
      // Another decision may have been committed while this one waited for the writer: check
      // again then only (the validator checked this state; replay must not re-judge old decisions).
      if (applied.includes(decision.decisionId)) return view();
      if (revision !== validated) decision.recheck();
      const draft = cloneState(state);
      const { events, effects: fx } = decision.apply(draft, Date.now());
      const firstSeq = persistedSeq + 1;
      try {
        await persistEvents({
          requestId: state.requestId,
          stream: state.requestId,
          firstSeq,
          events,
          snapshot: snapshotOf(draft),
          refusalIsFinal: true,
        });
      } catch (err) {
        throw storageRefusalOf(err) ?? err;
      }
      replaceState(state, draft);
      persistedSeq = firstSeq + events.length - 1;
      nextSeq = persistedSeq + 1;
      applied.push(decision.decisionId);
      if (applied.length > REMEMBERED_DECISIONS) applied.shift();
      effects.push(fx);
      ++effectsQueued;
      // Delivery activities started by this decision exist once it answers (callers act on them next).
      if (fx.startActivities.length > 0) ticket = effectsQueued;
      revision++;
      lastAttributes = syncSearchAttributes(state, ownerOverdue(state, cfg), lastAttributes);
    } finally {
      storing = false;
    }
    // Answer once the decision's consequences are under way (its delivery activities exist).
    if (ticket) await condition(() => effectsCarried >= ticket);
    return view();
  };

  for (const type of DECISION_TYPES) {
    setHandler(
      decisionUpdate(type),
      async (decision: Decision) => {
        if (storageFirst) return decideStorageFirst(decisionStep(state, { ...decision, type }));
        if (!applied.includes(decision.decisionId)) {
          const { events, effects: fx } = applyDecision(state, { ...decision, type }, Date.now());
          applied.push(decision.decisionId);
          if (applied.length > REMEMBERED_DECISIONS) applied.shift();
          effects.push(fx);
          const seq = record(events);
          await condition(() => persistedSeq >= seq);
        } else {
          await condition(() => pending.length === 0);
        }
        return view();
      },
      {
        validator: (decision: Decision) => {
          if (applied.includes(decision?.decisionId)) return;
          refuseUnlessValid(state, { ...decision, type });
        },
      },
    );
  }
  // Assignment decisions (claim, assign, unassign) follow the same path: validated by the pure
  // domain rules before anything enters history, stored, then committed. The patch marker is
  // written when a run takes its first one; histories without one never reach it.
  setHandler(
    assignmentUpdate,
    async (cmd: AssignmentCommand) => {
      patched(ASSIGNMENT_PATCH);
      return decideStorageFirst(assignmentStep(state, cmd));
    },
    {
      validator: (cmd: AssignmentCommand) => {
        if (applied.includes(cmd?.decisionId)) return;
        refuseAssignmentUnlessValid(state, cmd);
      },
    },
  );
  setHandler(getRequestQuery, view);
  const activityFinished = (finished: ActivityFinished) => {
    const activity = state.activities.find((a) => a.key === finished.key);
    if (!activity || activity.status !== 'scheduled') return;
    Object.assign(activity, finished);
    record([
      {
        type: `activity_${finished.status}`,
        actor: SYSTEM_ACTOR,
        at: new Date(Date.now()).toISOString(),
        payload: { ...finished },
      },
    ]);
  };
  /** Storage first: signals wait here while a decision is being stored, so its commit cannot overwrite them. */
  const finishedQueue: ActivityFinished[] = [];
  setHandler(activityFinishedSignal, (finished) => {
    if (storageFirst) finishedQueue.push(finished);
    else activityFinished(finished);
  });
  /** Set once the run is closing or continuing as new: waiting Updates answer rather than hold it open. */
  let leaving = false;
  const endStored = (key: string) =>
    leaving ||
    (state.activities.some((a) => a.key === key && a.status !== 'scheduled') && pending.length === 0 && !storing);
  setHandler(
    activityEndStoredUpdate,
    async ({ key }) => {
      await condition(() => endStored(key));
      return view();
    },
    {
      validator: (arg: { key: string }) => {
        if (!state.activities.some((a) => a.key === arg?.key))
          throw refusal(
            'INVALID_PAYLOAD',
            `request ${state.reference} has no started activity ${String(arg?.key)}`,
            'key',
          );
      },
    },
  );

  let seenRevision = revision;
  for (;;) {
    if (pending.length > 0) {
      if (storing) {
        // A decision handler is writing: its sequence numbers come first.
        await condition(() => !storing);
        continue;
      }
      storing = storageFirst;
      const batch = pending.splice(0, pending.length);
      const firstSeq = persistedSeq + 1;
      try {
        await persistEvents({
          requestId: state.requestId,
          stream: state.requestId,
          firstSeq,
          events: batch,
          snapshot: snapshotOf(state),
        });
      } finally {
        storing = false;
      }
      persistedSeq = firstSeq + batch.length - 1;
      lastAttributes = syncSearchAttributes(state, ownerOverdue(state, cfg), lastAttributes);
      if (storageFirst) revision++;
      continue;
    }
    if (finishedQueue.length > 0 || effects.length > 0) {
      if (storing) {
        await condition(() => !storing);
        continue;
      }
      // Storage first: no decision may copy the state while these change it.
      storing = storageFirst;
      try {
        finishedQueue.splice(0, finishedQueue.length).forEach(activityFinished);
        const carrying = effectsQueued;
        if (effects.length > 0) await carryOut(effects.splice(0, effects.length), state, input, record);
        effectsCarried = carrying;
        if (storageFirst) revision++;
      } finally {
        storing = false;
      }
      continue;
    }
    const idle = () => pending.length === 0 && effects.length === 0 && finishedQueue.length === 0 && !storing;
    // Work for this loop. A handler that is storing its decision is not: waiting on `!idle()` while
    // one stores resolved at once, again and again, and the run spun without yielding until Node
    // crashed ("async hook stack has become corrupted"); such a run never completed an activation,
    // so no history holds that path and the changed waits need no patch.
    const hasWork = () => pending.length > 0 || effects.length > 0 || finishedQueue.length > 0;
    const settled = () => (allHandlersFinished() && !storing) || hasWork();
    if (state.stage === Stage.Closed) {
      // In-flight handlers may still need this loop to persist their events: keep serving them.
      leaving = true;
      await condition(settled);
      if (idle() && allHandlersFinished()) break;
      continue;
    }
    if (
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > (input.historyBudget ?? HISTORY_BUDGET)
    ) {
      leaving = true;
      await condition(settled);
      if (idle() && allHandlersFinished()) {
        await continueAsNew<typeof assistanceRequestWorkflow>({
          request: input.request,
          deadlines: cfg,
          historyBudget: input.historyBudget,
          carried: { state, nextSeq, appliedDecisionIds: applied },
        });
      }
      continue;
    }
    if (storing) {
      // A decision is being stored: no timer runs meanwhile; they are re-read once it is settled.
      await condition(() => !storing);
      continue;
    }
    seenRevision = revision;
    const timer = nextTimer(state, cfg);
    const wake = () =>
      pending.length > 0 || effects.length > 0 || finishedQueue.length > 0 || revision !== seenRevision || storing;
    const woke = timer ? await condition(wake, Math.max(timer.at - Date.now(), 1)) : (await condition(wake), true);
    if (!woke && timer) {
      if (storing) {
        // A decision is being stored: the timer is re-read once it is committed (or refused).
        await condition(() => !storing);
        continue;
      }
      record(applyTimer(state, timer, Date.now()));
    }
  }
  return { reference: state.reference, outcome: state.outcome, events: persistedSeq };
}

/**
 * The request's deadlines with the timer rules this run keeps: the current ones for runs started
 * (or continued as new) since the patch, the original ones for runs that began before it. The
 * stamped configuration is what the read model stores, so the API's `upcoming` follows the same rules.
 */
function timerConfig(deadlines: DeadlineConfig): DeadlineConfig {
  return withTimerRules(deadlines, patched(TIMER_RULES_PATCH) ? CURRENT_TIMER_RULES : undefined);
}

function refuseUnlessValid(state: RequestState, decision: Decision): void {
  try {
    validateDecision(state, decision, Date.now());
  } catch (err) {
    if (err instanceof DomainError) throw refusal(err.code, err.message, err.field);
    throw err;
  }
}

/** A decision as the storage-first path takes it: checked again if the state moved meanwhile, then applied to a copy. */
interface DecisionStep {
  decisionId: string;
  recheck: () => void;
  apply: (draft: RequestState, now: number) => { events: DomainEvent[]; effects: Effects };
}

function decisionStep(state: RequestState, decision: Decision): DecisionStep {
  return {
    decisionId: decision.decisionId,
    recheck: () => refuseUnlessValid(state, decision),
    apply: (draft, now) => applyDecision(draft, decision, now),
  };
}

function assignmentStep(state: RequestState, cmd: AssignmentCommand): DecisionStep {
  return {
    decisionId: cmd.decisionId,
    recheck: () => refuseAssignmentUnlessValid(state, cmd),
    apply: (draft, now) => applyAssignment(draft, cmd, now),
  };
}

function refuseAssignmentUnlessValid(state: RequestState, cmd: AssignmentCommand): void {
  try {
    validateAssignment(state, cmd);
  } catch (err) {
    if (err instanceof DomainError) throw refusal(err.code, err.message, err.field);
    throw err;
  }
}

/** The state is plain JSON (it is stored as jsonb): a JSON copy is exact. */
function cloneState(state: RequestState): RequestState {
  return JSON.parse(JSON.stringify(state)) as RequestState;
}

function replaceState(state: RequestState, draft: RequestState): void {
  for (const key of Object.keys(state) as (keyof RequestState)[]) if (!(key in draft)) delete state[key];
  Object.assign(state, draft);
}

async function carryOut(
  batch: Effects[],
  state: RequestState,
  input: AssistanceRequestInput,
  record: (events: DomainEvent[]) => number,
): Promise<void> {
  const reference = state.reference;
  for (const fx of batch) {
    for (const key of fx.startActivities) {
      const activity = state.plan!.activities.find((a) => a.key === key)!;
      // patched() only where a shared activity is planned, so histories without one are unchanged.
      if (activity.sharedKey && patched(SHARED_ACTIVITIES_PATCH)) {
        await startOrJoinShared(state, activity.sharedKey, key, record);
        continue;
      }
      await startChild(deliveryActivityWorkflow, {
        workflowId: deliveryActivityWorkflowId(reference, key),
        args: [{ requestId: state.requestId, reference, parentWorkflowId: workflowInfo().workflowId, activity }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    }
    for (const key of fx.cancelActivities) {
      const sharedKey = state.plan?.activities.find((a) => a.key === key)?.sharedKey;
      if (sharedKey && patched(SHARED_ACTIVITIES_PATCH)) {
        // Other requests may still need it: leave it (it cancels itself once no request remains).
        try {
          await getExternalWorkflowHandle(sharedDeliveryActivityWorkflowId(sharedKey)).signal(unlinkRequestSignal, {
            requestId: state.requestId,
          });
        } catch {
          // Already finished: nothing to leave.
        }
        continue;
      }
      try {
        await getExternalWorkflowHandle(deliveryActivityWorkflowId(reference, key)).cancel();
      } catch {
        // Already finished: nothing to cancel.
      }
    }
    if (fx.openFollowUp) {
      const followUpReference = `${reference}-F${state.followUpRequestIds.length + 1}`;
      const request: NewRequest = {
        requestId: uuid4(),
        reference: followUpReference,
        title: `Further needs identified in the evaluation of ${reference}`,
        memberState: state.memberState,
        region: state.region,
        origin: 'member_state',
        linkedFrom: reference,
        needs: fx.openFollowUp,
        submittedAt: Date.now(),
      };
      await startChild(assistanceRequestWorkflow, {
        workflowId: requestWorkflowId(followUpReference),
        args: [{ request, deadlines: input.deadlines }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      state.followUpRequestIds.push(request.requestId);
      record([
        {
          type: 'follow_up_opened',
          actor: SYSTEM_ACTOR,
          at: new Date(Date.now()).toISOString(),
          payload: { reference: followUpReference, requestId: request.requestId },
        },
      ]);
    }
  }
}

/**
 * A shared activity: the first request to reach delivery starts its workflow; the others find it
 * running (WorkflowExecutionAlreadyStartedError, recorded in history, so replay is deterministic)
 * and join it by signal. If it has already ended, this request did not take part in it.
 */
async function startOrJoinShared(
  state: RequestState,
  sharedKey: string,
  key: string,
  record: (events: DomainEvent[]) => number,
): Promise<void> {
  const activity = state.plan!.activities.find((a) => a.key === key)!;
  const link: LinkRequest = {
    requestId: state.requestId,
    reference: state.reference,
    key,
    memberState: state.memberState,
    parentWorkflowId: workflowInfo().workflowId,
  };
  const workflowId = sharedDeliveryActivityWorkflowId(sharedKey);
  // Postgres decides who starts it, for ever; REJECT_DUPLICATE alone lasts only as long as retention.
  const claimed = patched(SHARED_CLAIM_PATCH)
    ? await claimSharedActivity({ sharedKey, requestId: state.requestId, reference: state.reference })
    : true;
  let started = false;
  if (claimed) await startShared();
  if (!started) await join();

  async function startShared(): Promise<void> {
    try {
      await startChild(deliveryActivityWorkflow, {
        workflowId,
        args: [
          {
            requestId: state.requestId,
            reference: state.reference,
            parentWorkflowId: link.parentWorkflowId,
            activity,
            linked: [link],
          },
        ],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // A shared activity's stream is written once: never a second run under the same id.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      started = true;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  async function join(): Promise<void> {
    try {
      await getExternalWorkflowHandle(workflowId).signal(linkRequestSignal, link);
    } catch {
      // It has ended, or Temporal no longer knows it: this request did not take part in it.
      const progress = state.activities.find((a) => a.key === key);
      if (progress?.status === 'scheduled') {
        progress.status = 'cancelled';
        record([
          {
            type: 'activity_cancelled',
            actor: SYSTEM_ACTOR,
            at: new Date(Date.now()).toISOString(),
            payload: { key, status: 'cancelled', sharedKey, reason: 'the shared activity had already ended' },
          },
        ]);
      }
    }
  }
}

/**
 * `overdue` is the read model's flag (ownerOverdue): the stage clock's, which under timer rules 1
 * it always is, so runs begun before the referral clocks upsert exactly as they did.
 */
function syncSearchAttributes(state: RequestState, overdue: boolean, last: string): string {
  const key = `${state.stage}|${overdue}`;
  if (key === last) return last;
  // A search attribute that Temporal refuses fails the workflow task for ever: only well-formed
  // keywords go in, whatever the state holds.
  upsertSearchAttributes([
    { key: SA_STAGE, value: keyword(state.stage) ?? 'unknown' },
    { key: SA_MEMBER_STATE, value: keyword(state.memberState) ?? 'unknown' },
    { key: SA_REGION, value: keyword(state.region) ?? 'unknown' },
    { key: SA_THEMATIC_AREAS, value: keywords(state.thematicAreas) },
    { key: SA_OVERDUE, value: overdue },
  ]);
  return key;
}

assistanceRequestWorkflow satisfies AssistanceRequestWorkflow;
