import { checkActivityPayload } from './decision-checks';
import { DomainError } from './domain-error';
import type { ActivityAction } from './schemas/payloads';
import { Actor } from './request-state';
import { Role } from './stage';

/**
 * The rules of a delivery activity (a workshop, mission or course), pure: the delivery activity
 * workflow runs them as its Update validators. Dates are calendar dates YYYY-MM-DD.
 */
export interface DeliveryActivityFacts {
  status: 'scheduled' | 'delivered' | 'cancelled';
  /** The current start date: a reschedule moves it, and with it the earliest possible delivery. */
  startDate: string;
  /** States that may report participants. */
  participatingStates: readonly string[];
}

export interface DeliveryReport {
  decisionId: string;
  actor: Actor;
  deliveredOn: string;
  participantsByState: Record<string, number>;
  officialsTrainedByProfession: Record<string, number>;
  outputs: string[];
}

export interface DeliveryReschedule {
  decisionId: string;
  actor: Actor;
  startDate: string;
  endDate: string;
  reason: string;
}

export interface DeliveryCancel {
  decisionId: string;
  actor: Actor;
  reason: string;
}

/**
 * The latest calendar date that is already today somewhere on Earth (UTC+14): a fact dated later
 * has not happened yet. `now` is the workflow clock.
 */
export function latestPossibleDate(now: number): string {
  return new Date(now + 14 * 3_600_000).toISOString().slice(0, 10);
}

function invalid(field: string, reason: string): never {
  throw new DomainError('INVALID_PAYLOAD', `${field} ${reason}`, field);
}

/** Who acts on delivery activities: UNODC programme managers and their supervisors. */
const ACTIVITY_ROLES: readonly Role[] = [Role.UnodcManager, Role.UnodcSupervisor];

/**
 * The actions this actor may take on this delivery activity now (the rule guard() enforces; what is
 * still refused depends on what is sent): all three while it is scheduled, none once it is final.
 */
export function allowedActivityActions(
  activity: { status: string },
  actor: { role: Role },
): ('report_delivered' | 'reschedule' | 'cancel')[] {
  if (!ACTIVITY_ROLES.includes(actor.role) || activity.status !== 'scheduled') return [];
  return ['report_delivered', 'reschedule', 'cancel'];
}

function guard(activity: DeliveryActivityFacts, decision: { decisionId: string; actor: Actor }): void {
  if (!ACTIVITY_ROLES.includes(decision?.actor?.role))
    throw new DomainError('ROLE_NOT_ALLOWED', 'only a UNODC programme manager may act on a delivery activity');
  // A delivered or cancelled activity is final: it can be neither rescheduled nor reported again.
  if (activity.status !== 'scheduled')
    throw new DomainError('STAGE_NOT_ALLOWED', `activity is already ${activity.status}`);
  // Stored as request_events.decision_id, a varchar(200): the same rule as a request's decisions.
  if (typeof decision.decisionId !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(decision.decisionId))
    invalid('decisionId', 'must be 1 to 200 printable ASCII characters');
}

/** The action's payload (the decision without its id and actor), checked by its one schema. */
function payloadOf<A extends ActivityAction>(action: A, decision: { decisionId: string; actor: Actor }) {
  const { decisionId: _id, actor: _actor, ...payload } = decision;
  return checkActivityPayload(action, payload);
}

/**
 * A delivery happened on a real date, not in the future (the workflow clock `now`, ms), and not
 * before the activity's current start date; participants come from participating States.
 */
export function checkReport(activity: DeliveryActivityFacts, r: DeliveryReport, now: number): void {
  guard(activity, r);
  const p = payloadOf('report_delivered', r);
  if (p.deliveredOn > latestPossibleDate(now)) invalid('deliveredOn', 'must not be in the future');
  if (p.deliveredOn < activity.startDate)
    invalid('deliveredOn', `must not be before the activity's start date ${activity.startDate}`);
  const unknown = Object.keys(p.participantsByState).filter((s) => !activity.participatingStates.includes(s));
  if (unknown.length) invalid('participantsByState', `names States not participating: ${unknown.join(', ')}`);
}

/** A reschedule moves the dates (and with them the earliest possible delivery); the schema checks their order. */
export function checkReschedule(activity: DeliveryActivityFacts, r: DeliveryReschedule): void {
  guard(activity, r);
  payloadOf('reschedule', r);
}

export function checkCancel(activity: DeliveryActivityFacts, r: DeliveryCancel): void {
  guard(activity, r);
  payloadOf('cancel', r);
}
