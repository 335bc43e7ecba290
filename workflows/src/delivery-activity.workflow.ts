import {
  CancellationScope,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import {
  ActivityAction,
  Actor,
  DomainError,
  DomainEvent,
  PlannedActivity,
  RefusalCode,
  Role,
  SYSTEM_ACTOR,
  checkActivityPayload,
} from '@app/domain';
import {
  DeliveryActivityView,
  LinkRequest,
  SHARED_ACTIVITIES_PATCH,
  activityFinishedSignal,
  activityStream,
  cancelActivityUpdate,
  getDeliveryActivityQuery,
  linkRequestSignal,
  refusal,
  reportActivityDeliveredUpdate,
  rescheduleActivityUpdate,
  unlinkRequestSignal,
} from '@app/contracts';
import type { RequestActivities } from '@app/contracts';

export interface DeliveryActivityInput {
  /** The (first) request: its id is the request_id of the activity's events. */
  requestId: string;
  reference: string;
  parentWorkflowId: string;
  activity: PlannedActivity;
  /** Shared activity (activity.sharedKey set): the request that started it, others join by linkRequestSignal. */
  linked?: LinkRequest[];
}

const { persistEvents } = proxyActivities<RequestActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

function refuse(code: RefusalCode, message: string, field?: string): never {
  throw refusal(code, message, field);
}

/** Checks an action's payload (the body without decisionId and actor) with its one schema. */
function checkPayload<A extends ActivityAction>(action: A, update: { decisionId: string; actor: Actor }) {
  const { decisionId: _id, actor: _actor, ...payload } = update;
  try {
    return checkActivityPayload(action, payload);
  } catch (err) {
    if (err instanceof DomainError) refuse(err.code, err.message, err.field);
    throw err;
  }
}

/**
 * One planned activity (workshop, advice mission, course) from scheduling to delivery or
 * cancellation. It runs apart from its request so activities move independently.
 */
export async function deliveryActivityWorkflow(input: DeliveryActivityInput): Promise<DeliveryActivityView> {
  const { activity, reference, requestId } = input;
  // Only a shared activity (which no history before the patch has) takes the new path.
  const shared = activity.sharedKey !== undefined && input.linked !== undefined && patched(SHARED_ACTIVITIES_PATCH);
  const stream = shared
    ? activityStream(requestId, activity.key, activity.sharedKey)
    : `${requestId}/activity/${activity.key}`;
  const view: DeliveryActivityView = {
    key: activity.key,
    reference,
    status: 'scheduled',
    startDate: activity.startDate,
    endDate: activity.endDate,
    place: activity.place,
    reschedules: 0,
  };
  const participatingStates = [...activity.participatingStates];
  if (shared) {
    view.sharedKey = activity.sharedKey;
    view.linked = [];
  }
  /** Links and unlinks received, applied in order by the main loop (so each is recorded once). */
  const membership: ({ link: LinkRequest } | { unlink: string })[] = [];
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
    if (decision?.actor?.role !== Role.UnodcManager)
      refuse('ROLE_NOT_ALLOWED', 'only a UNODC programme manager may act on a delivery activity');
    if (view.status !== 'scheduled') refuse('STAGE_NOT_ALLOWED', `activity is already ${view.status}`);
    if (typeof decision.decisionId !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(decision.decisionId))
      refuse('INVALID_PAYLOAD', 'decisionId must be 1 to 200 printable ASCII characters', 'decisionId');
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
        const p = checkPayload('report_delivered', r);
        const unknown = Object.keys(p.participantsByState).filter((s) => !participatingStates.includes(s));
        if (unknown.length)
          refuse(
            'INVALID_PAYLOAD',
            `participantsByState names States not participating: ${unknown.join(', ')}`,
            'participantsByState',
          );
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
        return record(
          'activity_rescheduled',
          r.actor,
          { startDate: r.startDate, endDate: r.endDate, place: view.place, reason: r.reason },
          r.decisionId,
        );
      }),
    {
      validator: (r) => {
        if (guard(r)) checkPayload('reschedule', r);
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
        if (guard(r)) checkPayload('cancel', r);
      },
    },
  );

  if (shared) {
    setHandler(linkRequestSignal, (link) => void membership.push({ link }));
    setHandler(unlinkRequestSignal, (u) => void membership.push({ unlink: u?.requestId }));
  }
  const applyMembership = () => {
    while (view.status === 'scheduled' && membership.length > 0) {
      const m = membership.shift()!;
      const linked = view.linked!;
      if ('link' in m) {
        // Idempotent per request: a repeated link (or a link after an unlink) changes nothing.
        if (linked.some((l) => l.requestId === m.link.requestId)) continue;
        linked.push({ ...m.link, active: true });
        if (!participatingStates.includes(m.link.memberState)) participatingStates.push(m.link.memberState);
        record('request_linked', SYSTEM_ACTOR, { ...m.link });
      } else {
        const l = linked.find((x) => x.requestId === m.unlink && x.active);
        if (!l) continue;
        l.active = false;
        record('request_unlinked', SYSTEM_ACTOR, {
          requestId: l.requestId,
          reference: l.reference,
          reason: 'request withdrawn',
        });
        if (!linked.some((x) => x.active)) {
          view.status = 'cancelled';
          record('activity_cancelled', SYSTEM_ACTOR, { reason: 'every linked request was withdrawn' });
        }
      }
    }
  };

  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending.splice(0, pending.length);
      const firstSeq = persistedSeq + 1;
      const snapshot = shared ? { ...view, linked: view.linked!.map((l) => ({ ...l })) } : { ...view };
      await persistEvents({ requestId, stream, firstSeq, events: batch, activity: { ...snapshot, requestId } });
      persistedSeq = firstSeq + batch.length - 1;
    }
  };

  record('activity_scheduled', SYSTEM_ACTOR, { ...activity });
  if (shared) input.linked!.forEach((link) => membership.push({ link }));
  try {
    for (;;) {
      if (shared) applyMembership();
      await flush();
      if (view.status !== 'scheduled') break;
      await condition(() => pending.length > 0 || membership.length > 0);
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
  // Whatever ended the activity (even a cancellation), tell the request(s) and let handlers finish.
  await CancellationScope.nonCancellable(async () => {
    await condition(allHandlersFinished);
    const officialsTrained = Object.values(view.report?.officialsTrainedByProfession ?? {}).reduce((a, b) => a + b, 0);
    const finished = {
      status: view.status as 'delivered' | 'cancelled',
      participantsByState: view.report?.participantsByState,
      officialsTrained,
    };
    const notify = async (parentWorkflowId: string, key: string, status = finished.status) => {
      try {
        await getExternalWorkflowHandle(parentWorkflowId).signal(activityFinishedSignal, { key, ...finished, status });
      } catch {
        // The request already closed (withdrawn): it no longer waits for this activity.
      }
    };
    if (!shared) {
      await notify(input.parentWorkflowId, activity.key);
      return;
    }
    // Every request still linked records the activity once (its own key); the withdrawn ones are closed.
    for (const l of view.linked!.filter((x) => x.active)) await notify(l.parentWorkflowId, l.key);
    // A request that tries to join once the activity has ended did not take part in it.
    for (;;) {
      while (membership.length > 0) {
        const m = membership.shift()!;
        if ('link' in m && !view.linked!.some((l) => l.requestId === m.link.requestId)) {
          await notify(m.link.parentWorkflowId, m.link.key, 'cancelled');
        }
      }
      await condition(allHandlersFinished);
      if (membership.length === 0) break;
    }
  });
  return view;
}
