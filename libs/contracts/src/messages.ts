import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, Decision, DecisionType, RequestState, ScheduledTimer } from '@app/domain';

export interface RequestView {
  state: RequestState;
  upcoming: ScheduledTimer[];
  lastEventSeq: number;
}

/** One named Update per decision type, so history and the UI say what was decided. */
export function decisionUpdateName(type: DecisionType): string {
  return `${type.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())}Update`;
}

export const decisionUpdate = (type: DecisionType) => defineUpdate<RequestView, [Decision]>(decisionUpdateName(type));

export const getRequestQuery = defineQuery<RequestView>('getRequestQuery');

export interface ActivityFinished {
  key: string;
  status: 'delivered' | 'cancelled';
  participantsByState?: Record<string, number>;
  officialsTrained?: number;
}
export const activityFinishedSignal = defineSignal<[ActivityFinished]>('activityFinishedSignal');
/**
 * Answers once the request has stored that its delivery activity `key` ended (the activity's
 * workflow tells it by activityFinishedSignal a moment after its own Update returned), so the
 * caller's next decision (complete delivery) finds it ended. Changes nothing; refused if the
 * request has no started activity `key`.
 */
export const activityEndStoredUpdate = defineUpdate<RequestView, [{ key: string }]>('activityEndStoredUpdate');

/** A request that planned a shared activity already started by another request joins it. */
export interface LinkRequest {
  requestId: string;
  reference: string;
  /** The activity's key in this request's own plan (activityFinishedSignal names it). */
  key: string;
  memberState: string;
  parentWorkflowId: string;
}
export const linkRequestSignal = defineSignal<[LinkRequest]>('linkRequestSignal');
/** A linked request was withdrawn: it leaves the shared activity (cancelled once none remains). */
export const unlinkRequestSignal = defineSignal<[{ requestId: string }]>('unlinkRequestSignal');
export interface LinkedRequest extends LinkRequest {
  /** False once the request was unlinked (withdrawn). */
  active: boolean;
}

// Delivery activity (child workflow) messages.
export interface ActivityReport {
  decisionId: string;
  actor: Actor;
  deliveredOn: string;
  place?: string;
  participantsByState: Record<string, number>;
  officialsTrainedByProfession: Record<string, number>;
  outputs: string[];
}
export interface ActivityReschedule {
  decisionId: string;
  actor: Actor;
  startDate: string;
  endDate: string;
  place?: string;
  reason: string;
}
export interface ActivityCancel {
  decisionId: string;
  actor: Actor;
  reason: string;
}
export interface DeliveryActivityView {
  key: string;
  reference: string;
  status: 'scheduled' | 'delivered' | 'cancelled';
  startDate: string;
  endDate: string;
  place: string;
  report?: Omit<ActivityReport, 'actor' | 'decisionId'>;
  reschedules: number;
  /** Shared activities only: the key, and every request linked to it (in order of linking). */
  sharedKey?: string;
  linked?: LinkedRequest[];
}
export const reportActivityDeliveredUpdate = defineUpdate<DeliveryActivityView, [ActivityReport]>(
  'reportActivityDeliveredUpdate',
);
export const rescheduleActivityUpdate = defineUpdate<DeliveryActivityView, [ActivityReschedule]>(
  'rescheduleActivityUpdate',
);
export const cancelActivityUpdate = defineUpdate<DeliveryActivityView, [ActivityCancel]>('cancelActivityUpdate');
export const getDeliveryActivityQuery = defineQuery<DeliveryActivityView>('getDeliveryActivityQuery');
