import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { Actor, DomainEvent, PlannedActivity, Role, SYSTEM_ACTOR } from '@app/domain';
import {
  DeliveryActivityView,
  activityFinishedSignal,
  cancelActivityUpdate,
  getDeliveryActivityQuery,
  reportActivityDeliveredUpdate,
  rescheduleActivityUpdate,
} from '@app/contracts';
import type { RequestActivities } from '@app/contracts';

export interface DeliveryActivityInput {
  requestId: string;
  reference: string;
  parentWorkflowId: string;
  activity: PlannedActivity;
}

const { persistEvents } = proxyActivities<RequestActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function refuse(code: string, message: string): never {
  throw ApplicationFailure.nonRetryable(message, code);
}

/**
 * One planned activity (workshop, advice mission, course) from scheduling to delivery or
 * cancellation. It runs apart from its request so activities move independently.
 */
export async function deliveryActivityWorkflow(input: DeliveryActivityInput): Promise<DeliveryActivityView> {
  const { activity, reference, requestId } = input;
  const stream = `${requestId}/activity/${activity.key}`;
  const view: DeliveryActivityView = {
    key: activity.key,
    reference,
    status: 'scheduled',
    startDate: activity.startDate,
    endDate: activity.endDate,
    place: activity.place,
    reschedules: 0,
  };
  const applied = new Set<string>();
  const pending: DomainEvent[] = [];
  let nextSeq = 1;
  let persistedSeq = 0;
  const record = (type: string, actor: Actor, payload: Record<string, unknown>, decisionId?: string): number => {
    pending.push({ type, actor, at: new Date(Date.now()).toISOString(), decisionId, payload });
    nextSeq += 1;
    return nextSeq - 1;
  };

  const guard = (decision: { decisionId: string; actor: Actor }) => {
    if (applied.has(decision?.decisionId)) return false;
    if (decision?.actor?.role !== Role.UnodcManager) refuse('ROLE_NOT_ALLOWED', 'only a UNODC programme manager may act on a delivery activity');
    if (view.status !== 'scheduled') refuse('STAGE_NOT_ALLOWED', `activity is already ${view.status}`);
    if (typeof decision.decisionId !== 'string' || !decision.decisionId) refuse('INVALID_PAYLOAD', 'decisionId is required');
    return true;
  };
  const settle = async (decisionId: string, apply: () => number) => {
    if (!applied.has(decisionId)) {
      applied.add(decisionId);
      const seq = apply();
      await condition(() => persistedSeq >= seq);
    }
    return { ...view };
  };

  setHandler(getDeliveryActivityQuery, () => ({ ...view }));
  setHandler(
    reportActivityDeliveredUpdate,
    (r) =>
      settle(r.decisionId, () => {
        view.status = 'delivered';
        view.report = {
          deliveredOn: r.deliveredOn,
          place: r.place ?? view.place,
          participantsByState: r.participantsByState,
          officialsTrainedByProfession: r.officialsTrainedByProfession,
          outputs: r.outputs,
        };
        return record('activity_delivered', r.actor, { ...view.report }, r.decisionId);
      }),
    {
      validator: (r) => {
        if (!guard(r)) return;
        if (!DATE.test(r.deliveredOn ?? '')) refuse('INVALID_PAYLOAD', 'deliveredOn must be a date YYYY-MM-DD');
        const counts: unknown[] = [...Object.values(r.participantsByState ?? {}), ...Object.values(r.officialsTrainedByProfession ?? {})];
        if (!counts.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) refuse('INVALID_PAYLOAD', 'participant counts must be non-negative integers');
        const states = Object.keys(r.participantsByState ?? {});
        const unknown = states.filter((s) => !activity.participatingStates.includes(s));
        if (unknown.length) refuse('INVALID_PAYLOAD', `participantsByState names States not participating: ${unknown.join(', ')}`);
        if (!Array.isArray(r.outputs)) refuse('INVALID_PAYLOAD', 'outputs must be a list');
      },
    },
  );
  setHandler(
    rescheduleActivityUpdate,
    (r) =>
      settle(r.decisionId, () => {
        view.startDate = r.startDate;
        view.endDate = r.endDate;
        view.place = r.place ?? view.place;
        view.reschedules += 1;
        return record('activity_rescheduled', r.actor, { startDate: r.startDate, endDate: r.endDate, place: view.place, reason: r.reason }, r.decisionId);
      }),
    {
      validator: (r) => {
        if (!guard(r)) return;
        if (!DATE.test(r.startDate ?? '') || !DATE.test(r.endDate ?? '')) refuse('INVALID_PAYLOAD', 'startDate and endDate must be dates YYYY-MM-DD');
        if (r.endDate < r.startDate) refuse('INVALID_PAYLOAD', 'endDate must not be before startDate');
        if (!r.reason) refuse('INVALID_PAYLOAD', 'reason is required');
      },
    },
  );
  setHandler(
    cancelActivityUpdate,
    (r) =>
      settle(r.decisionId, () => {
        view.status = 'cancelled';
        return record('activity_cancelled', r.actor, { reason: r.reason }, r.decisionId);
      }),
    {
      validator: (r) => {
        if (!guard(r)) return;
        if (!r.reason) refuse('INVALID_PAYLOAD', 'reason is required');
      },
    },
  );

  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending.splice(0, pending.length);
      const firstSeq = persistedSeq + 1;
      await persistEvents({ requestId, stream, firstSeq, events: batch, activity: { ...view, requestId } });
      persistedSeq = firstSeq + batch.length - 1;
    }
  };

  record('activity_scheduled', SYSTEM_ACTOR, { ...activity });
  try {
    for (;;) {
      await flush();
      if (view.status !== 'scheduled') break;
      await condition(() => pending.length > 0);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The request was withdrawn: record the cancellation even though this run is being cancelled.
    await CancellationScope.nonCancellable(async () => {
      if (view.status === 'scheduled') {
        view.status = 'cancelled';
        record('activity_cancelled', SYSTEM_ACTOR, { reason: 'request withdrawn' });
      }
      await flush();
    });
  }
  // Whatever ended the activity (even a cancellation), tell the request and let handlers finish.
  await CancellationScope.nonCancellable(async () => {
    await condition(allHandlersFinished);
    const officialsTrained = Object.values(view.report?.officialsTrainedByProfession ?? {}).reduce((a, b) => a + b, 0);
    try {
      await getExternalWorkflowHandle(input.parentWorkflowId).signal(activityFinishedSignal, {
        key: activity.key,
        status: view.status as 'delivered' | 'cancelled',
        participantsByState: view.report?.participantsByState,
        officialsTrained,
      });
    } catch {
      // The request already closed (withdrawn): it no longer waits for this activity.
    }
  });
  return view;
}
