import { DomainError } from './domain-error';
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

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date (no 2027-02-30) that Postgres can store (years 0001 to 9999). */
export function isCalendarDate(value: unknown): value is string {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m || m[1] === '0000') return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * The latest calendar date that is already today somewhere on Earth (UTC+14): a fact dated later
 * has not happened yet. `now` is the workflow clock.
 */
export function latestPossibleDate(now: number): string {
  return new Date(now + 14 * 3_600_000).toISOString().slice(0, 10);
}

function invalid(message: string): never {
  throw new DomainError('INVALID_PAYLOAD', message);
}

function guard(activity: DeliveryActivityFacts, decision: { decisionId: string; actor: Actor }): void {
  if (decision?.actor?.role !== Role.UnodcManager)
    throw new DomainError('ROLE_NOT_ALLOWED', 'only a UNODC programme manager may act on a delivery activity');
  // A delivered or cancelled activity is final: it can be neither rescheduled nor reported again.
  if (activity.status !== 'scheduled')
    throw new DomainError('STAGE_NOT_ALLOWED', `activity is already ${activity.status}`);
  if (typeof decision.decisionId !== 'string' || !decision.decisionId) invalid('decisionId is required');
}

/** A delivery happened on a real date, not in the future, and not before the activity's (current) start. */
export function checkReport(activity: DeliveryActivityFacts, r: DeliveryReport, now: number): void {
  guard(activity, r);
  if (!isCalendarDate(r.deliveredOn)) invalid('deliveredOn must be a date YYYY-MM-DD');
  if (r.deliveredOn > latestPossibleDate(now)) invalid('deliveredOn must not be in the future');
  if (r.deliveredOn < activity.startDate)
    invalid(`deliveredOn must not be before the activity's start date ${activity.startDate}`);
  const counts: unknown[] = [
    ...Object.values(r.participantsByState ?? {}),
    ...Object.values(r.officialsTrainedByProfession ?? {}),
  ];
  if (!counts.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0))
    invalid('participant counts must be non-negative integers');
  const unknown = Object.keys(r.participantsByState ?? {}).filter((s) => !activity.participatingStates.includes(s));
  if (unknown.length) invalid(`participantsByState names States not participating: ${unknown.join(', ')}`);
  if (!Array.isArray(r.outputs)) invalid('outputs must be a list');
}

export function checkReschedule(activity: DeliveryActivityFacts, r: DeliveryReschedule): void {
  guard(activity, r);
  if (!isCalendarDate(r.startDate) || !isCalendarDate(r.endDate))
    invalid('startDate and endDate must be dates YYYY-MM-DD');
  if (r.endDate < r.startDate) invalid('endDate must not be before startDate');
  if (!r.reason) invalid('reason is required');
}

export function checkCancel(activity: DeliveryActivityFacts, r: DeliveryCancel): void {
  guard(activity, r);
  if (!r.reason) invalid('reason is required');
}
