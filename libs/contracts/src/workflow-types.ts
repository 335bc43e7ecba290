import type { DeadlineConfig, NewRequest, PlannedActivity, RequestState } from '@app/domain';
import type { DeliveryActivityView, LinkRequest } from './messages';

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

export interface DeliveryActivityInput {
  /** The (first) request: its id is the request_id of the activity's events. */
  requestId: string;
  reference: string;
  parentWorkflowId: string;
  activity: PlannedActivity;
  /** Shared activity (activity.sharedKey set): the request that started it, others join by linkRequestSignal. */
  linked?: LinkRequest[];
}

/**
 * The workflows' signatures: clients start them typed (`workflow.start<AssistanceRequestWorkflow>`)
 * without importing workflow code, and the workflows are checked against them (`satisfies`).
 */
export type AssistanceRequestWorkflow = (input: AssistanceRequestInput) => Promise<AssistanceRequestResult>;
export type DeliveryActivityWorkflow = (input: DeliveryActivityInput) => Promise<DeliveryActivityView>;

/** Registered workflow type names (the exported function names in workflows/src). */
export const WORKFLOW_TYPES = {
  assistanceRequest: 'assistanceRequestWorkflow',
  deliveryActivity: 'deliveryActivityWorkflow',
} as const;
