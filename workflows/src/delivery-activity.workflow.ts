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
import { Actor, DomainError, DomainEvent, SYSTEM_ACTOR, checkCancel, checkReport, checkReschedule } from '@app/domain';
import {
  DeliveryActivityInput,
  DeliveryActivityWorkflow,
  ActivityCancel,
  ActivityReport,
  ActivityReschedule,
  DeliveryActivityView,
  LinkRequest,
  ACTIVITY_OPTIONS,
  SHARED_ACTIVITIES_PATCH,
  STORAGE_FIRST_PATCH,
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
import { storageRefusalOf } from './storage-refusal';

export type { DeliveryActivityInput } from '@app/contracts';

const { persistEvents } = proxyActivities<RequestActivities>(ACTIVITY_OPTIONS);

/**
 * One planned activity (workshop, advice mission, course) from scheduling to delivery or
 * cancellation. It runs apart from its request so activities move independently.
 */
export async function deliveryActivityWorkflow(input: DeliveryActivityInput): Promise<DeliveryActivityView> {
  const { activity, reference, requestId } = input;
  // Runs started before this patch keep applying a decision first and storing it after.
  const storageFirst = patched(STORAGE_FIRST_PATCH);
  // Only a shared activity (which no history before the patch has) takes the new path.
  const shared = activity.sharedKey !== undefined && input.linked !== undefined && patched(SHARED_ACTIVITIES_PATCH);
  const stream = activityStream(requestId, activity.key, shared ? activity.sharedKey : undefined);
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

  /** Storage first: one writer at a time, and a revision the main loop wakes on. */
  let storing = false;
  let revision = 0;
  const writable = () => !storing && pending.length === 0;
  type Change = (v: DeliveryActivityView) => [type: string, actor: Actor, payload: Record<string, unknown>];
  /**
   * Storage first, a decision is applied to a copy of the view, stored, and only then committed;
   * a refusal by the database refuses the decision and leaves the activity as it was.
   */
  const settle = async (decisionId: string, validate: () => boolean, change: Change) => {
    if (!storageFirst) {
      if (!applied.has(decisionId)) {
        applied.add(decisionId);
        const seq = record(...change(view), decisionId);
        await condition(() => persistedSeq >= seq);
      }
      return { ...view };
    }
    const validated = revision;
    while (!writable()) await condition(writable);
    storing = true;
    try {
      if (applied.has(decisionId)) return { ...view };
      // Check again only if the activity changed while this decision waited (replay must not re-judge).
      if (revision !== validated && !validate()) return { ...view };
      const draft = cloneView(view);
      const [type, actor, payload] = change(draft);
      const firstSeq = persistedSeq + 1;
      try {
        await persistEvents({
          requestId,
          stream,
          firstSeq,
          events: [{ type, actor, at: new Date(Date.now()).toISOString(), decisionId, payload }],
          activity: { ...cloneView(draft), requestId },
          refusalIsFinal: true,
        });
      } catch (err) {
        throw storageRefusalOf(err) ?? err;
      }
      Object.assign(view, draft);
      applied.add(decisionId);
      persistedSeq = firstSeq;
      nextSeq = persistedSeq + 1;
      revision++;
      return { ...view };
    } finally {
      storing = false;
    }
  };

  setHandler(getDeliveryActivityQuery, () => ({ ...view }));
  const facts = () => ({ status: view.status, startDate: view.startDate, participatingStates });
  /** The domain's rules (libs/domain/src/delivery-activity.ts); false for a decision already applied. */
  const valid = (decisionId: string, check: () => void): boolean => {
    if (applied.has(decisionId)) return false;
    try {
      check();
    } catch (err) {
      if (err instanceof DomainError) throw refusal(err.code, err.message, err.field);
      throw err;
    }
    return true;
  };
  const validateReport = (r: ActivityReport) => valid(r?.decisionId, () => checkReport(facts(), r, Date.now()));
  setHandler(
    reportActivityDeliveredUpdate,
    (r) =>
      settle(
        r.decisionId,
        () => validateReport(r),
        (v) => {
          v.status = 'delivered';
          v.report = {
            deliveredOn: r.deliveredOn,
            place: r.place ?? v.place,
            participantsByState: r.participantsByState,
            officialsTrainedByProfession: r.officialsTrainedByProfession,
            outputs: r.outputs,
          };
          return ['activity_delivered', r.actor, { ...v.report }];
        },
      ),
    { validator: (r) => void validateReport(r) },
  );
  const validateReschedule = (r: ActivityReschedule) => valid(r?.decisionId, () => checkReschedule(facts(), r));
  setHandler(
    rescheduleActivityUpdate,
    (r) =>
      settle(
        r.decisionId,
        () => validateReschedule(r),
        (v) => {
          v.startDate = r.startDate;
          v.endDate = r.endDate;
          v.place = r.place ?? v.place;
          v.reschedules += 1;
          return [
            'activity_rescheduled',
            r.actor,
            { startDate: r.startDate, endDate: r.endDate, place: v.place, reason: r.reason },
          ];
        },
      ),
    { validator: (r) => void validateReschedule(r) },
  );
  const validateCancel = (r: ActivityCancel) => valid(r?.decisionId, () => checkCancel(facts(), r));
  setHandler(
    cancelActivityUpdate,
    (r) =>
      settle(
        r.decisionId,
        () => validateCancel(r),
        (v) => {
          v.status = 'cancelled';
          return ['activity_cancelled', r.actor, { reason: r.reason }];
        },
      ),
    { validator: (r) => void validateCancel(r) },
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
      while (storing) await condition(() => !storing);
      storing = storageFirst;
      const batch = pending.splice(0, pending.length);
      const firstSeq = persistedSeq + 1;
      const snapshot = shared ? { ...view, linked: view.linked!.map((l) => ({ ...l })) } : { ...view };
      try {
        await persistEvents({ requestId, stream, firstSeq, events: batch, activity: { ...snapshot, requestId } });
      } finally {
        storing = false;
      }
      persistedSeq = firstSeq + batch.length - 1;
      if (storageFirst) revision++;
    }
  };

  record('activity_scheduled', SYSTEM_ACTOR, { ...activity });
  if (shared) input.linked!.forEach((link) => membership.push({ link }));
  try {
    for (;;) {
      // A decision being stored commits its copy of the view: nothing else may change it meanwhile.
      while (storing) await condition(() => !storing);
      if (shared) applyMembership();
      await flush();
      if (view.status !== 'scheduled') break;
      const seen = revision;
      await condition(() => pending.length > 0 || membership.length > 0 || revision !== seen);
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

function cloneView(view: DeliveryActivityView): DeliveryActivityView {
  return JSON.parse(JSON.stringify(view)) as DeliveryActivityView;
}

deliveryActivityWorkflow satisfies DeliveryActivityWorkflow;
