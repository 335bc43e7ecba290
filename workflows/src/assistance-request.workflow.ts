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
  DECISION_TYPES,
  DeadlineConfig,
  Decision,
  DomainError,
  DomainEvent,
  Effects,
  NewRequest,
  RequestState,
  currentOwner,
  SYSTEM_ACTOR,
  Stage,
  applyDecision,
  applyTimer,
  initialState,
  nextTimer,
  upcomingTimers,
  validateDecision,
} from '@app/domain';
import {
  LinkRequest,
  RequestView,
  SA_MEMBER_STATE,
  SA_OVERDUE,
  SA_REGION,
  SA_STAGE,
  SA_THEMATIC_AREAS,
  SHARED_ACTIVITIES_PATCH,
  activityFinishedSignal,
  decisionUpdate,
  deliveryActivityWorkflowId,
  getRequestQuery,
  linkRequestSignal,
  refusal,
  requestWorkflowId,
  sharedDeliveryActivityWorkflowId,
  unlinkRequestSignal,
} from '@app/contracts';
import type { RequestActivities } from '@app/contracts';
import { deliveryActivityWorkflow } from './delivery-activity.workflow';

export interface AssistanceRequestInput {
  request: NewRequest;
  deadlines: DeadlineConfig;
  /** Continue-as-new once history passes this many events (default 4,000, far below Temporal's 51,200). */
  historyBudget?: number;
  /** Present after continue-as-new: everything the previous run knew. */
  carried?: { state: RequestState; nextSeq: number; appliedDecisionIds: string[] };
}

export interface AssistanceRequestResult {
  reference: string;
  outcome: RequestState['outcome'];
  events: number;
}

const { persistEvents } = proxyActivities<RequestActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const HISTORY_BUDGET = 4000;
// Date.now() below is Temporal's workflow clock: deterministic, replayed from history, skipped in tests.
const REMEMBERED_DECISIONS = 2000;

export async function assistanceRequestWorkflow(input: AssistanceRequestInput): Promise<AssistanceRequestResult> {
  const cfg = input.deadlines;
  const state: RequestState = input.carried?.state ?? initialState(input.request);
  const applied: string[] = [...(input.carried?.appliedDecisionIds ?? [])];
  let nextSeq = input.carried?.nextSeq ?? 1;
  let persistedSeq = nextSeq - 1;
  const pending: DomainEvent[] = [];
  const effects: Effects[] = [];

  const record = (events: DomainEvent[]): number => {
    pending.push(...events);
    nextSeq += events.length;
    return nextSeq - 1;
  };
  const view = (): RequestView => ({ state, upcoming: upcomingTimers(state, cfg), lastEventSeq: persistedSeq });

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

  for (const type of DECISION_TYPES) {
    setHandler(
      decisionUpdate(type),
      async (decision: Decision) => {
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
          try {
            validateDecision(state, { ...decision, type });
          } catch (err) {
            if (err instanceof DomainError) throw refusal(err.code, err.message, err.field);
            throw err;
          }
        },
      },
    );
  }
  setHandler(getRequestQuery, view);
  setHandler(activityFinishedSignal, (finished) => {
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
  });

  let lastAttributes = '';
  for (;;) {
    if (pending.length > 0) {
      const batch = pending.splice(0, pending.length);
      const firstSeq = persistedSeq + 1;
      const upcoming = upcomingTimers(state, cfg);
      await persistEvents({
        requestId: state.requestId,
        stream: state.requestId,
        firstSeq,
        events: batch,
        snapshot: {
          stage: state.stage,
          outcome: state.outcome ?? null,
          ownerRole: currentOwner(state),
          overdue: state.clock.overdue,
          nextDeadlineAt: upcoming[0] ? new Date(upcoming[0].at).toISOString() : null,
          nextDeadlineKind: upcoming[0]?.kind ?? null,
          state,
        },
      });
      persistedSeq = firstSeq + batch.length - 1;
      lastAttributes = syncSearchAttributes(state, lastAttributes);
      continue;
    }
    if (effects.length > 0) {
      await carryOut(effects.splice(0, effects.length), state, input, record);
      continue;
    }
    const idle = () => pending.length === 0 && effects.length === 0;
    if (state.stage === Stage.Closed) {
      // In-flight handlers may still need this loop to persist their events: keep serving them.
      await condition(() => allHandlersFinished() || !idle());
      if (idle() && allHandlersFinished()) break;
      continue;
    }
    if (
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > (input.historyBudget ?? HISTORY_BUDGET)
    ) {
      await condition(() => allHandlersFinished() || !idle());
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
    const timer = nextTimer(state, cfg);
    const wake = () => pending.length > 0 || effects.length > 0;
    const woke = timer ? await condition(wake, Math.max(timer.at - Date.now(), 1)) : (await condition(wake), true);
    if (!woke && timer) record(applyTimer(state, timer, Date.now()));
  }
  return { reference: state.reference, outcome: state.outcome, events: persistedSeq };
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
    return;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  try {
    await getExternalWorkflowHandle(workflowId).signal(linkRequestSignal, link);
  } catch {
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

function syncSearchAttributes(state: RequestState, last: string): string {
  const key = `${state.stage}|${state.clock.overdue}`;
  if (key === last) return last;
  upsertSearchAttributes([
    { key: SA_STAGE, value: state.stage },
    { key: SA_MEMBER_STATE, value: state.memberState },
    { key: SA_REGION, value: state.region },
    { key: SA_THEMATIC_AREAS, value: state.thematicAreas },
    { key: SA_OVERDUE, value: state.clock.overdue },
  ]);
  return key;
}
