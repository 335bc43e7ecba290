/** Workflow ids are business keys: starting twice for the same request finds the same workflow. */
export const requestWorkflowId = (reference: string): string => `assistance-request/${reference}`;
export const deliveryActivityWorkflowId = (reference: string, activityKey: string): string =>
  `delivery-activity/${reference}/${activityKey}`;
/** A shared (regional / subregional) activity serving several requests: one workflow per sharedKey. */
export const sharedDeliveryActivityWorkflowId = (sharedKey: string): string => `delivery-activity/shared/${sharedKey}`;
/** Event stream of a delivery activity: its request's, or the shared activity's own. */
export const activityStream = (requestId: string, activityKey: string, sharedKey?: string): string =>
  sharedKey ? `shared-activity/${sharedKey}` : `${requestId}/activity/${activityKey}`;
/** Identifies the activity itself in the read model (delivery_activities.activity_ref). */
export const activityRef = (reference: string, activityKey: string, sharedKey?: string): string =>
  sharedKey ? `shared/${sharedKey}` : `${reference}/${activityKey}`;
/** patched() id guarding the shared-activity command sequences (workflows have running executions). */
export const SHARED_ACTIVITIES_PATCH = 'shared-regional-activities';
/**
 * patched() id: a decision is applied to a copy of the state, stored, and only then committed; a
 * storage refusal refuses the decision. Runs started before it keep the old order.
 */
export const STORAGE_FIRST_PATCH = 'storage-before-state';
/** patched() id: a shared activity is started only by the request holding its claim in Postgres. */
export const SHARED_CLAIM_PATCH = 'shared-activity-claim';
/**
 * patched() id: timer rules 2 (DeadlineConfig.timerRules): reminders capped per clock and
 * stopped by escalation, and a clock per external referral. Runs started before it keep rules 1.
 */
export const TIMER_RULES_PATCH = 'capped-reminders-and-referral-clocks';
/** One outbox dispatcher per task queue (each deployment's workers run one). */
export const outboxDispatcherWorkflowId = (taskQueue: string): string => `outbox-dispatcher/${taskQueue}`;
