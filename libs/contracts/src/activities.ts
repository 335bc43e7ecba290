import type { DeadlineConfig, DomainEvent, RequestState } from '@app/domain';
import type { DeliveryActivityView } from './messages';

/** What the read model keeps of the workflow state (lists, work queues and reports read it). */
export interface ReadModelSnapshot {
  stage: RequestState['stage'];
  outcome: RequestState['outcome'] | null;
  ownerRole: string | null;
  /** The assignee of the body working on the request now (absent from runs before assignment). */
  assigneeId?: string | null;
  overdue: boolean;
  nextDeadlineAt: string | null;
  nextDeadlineKind: string | null;
  state: RequestState;
  /** The deadline configuration the workflow runs with: the API computes `upcoming` from it. */
  deadlines?: DeadlineConfig;
}

export interface PersistEventsInput {
  requestId: string;
  /** Event stream: the request itself, or one of its delivery activities. Each has its own hash chain. */
  stream: string;
  /** Sequence number of the first event; events are numbered consecutively per stream. */
  firstSeq: number;
  events: DomainEvent[];
  snapshot?: ReadModelSnapshot;
  activity?: DeliveryActivityView & { requestId: string };
  /**
   * Set when the batch is one decision that the workflow has not applied yet: a refusal that no
   * retry can cure (bad data, a violated constraint) then ends the activity at once with
   * STORAGE_REFUSED, so the decision is refused and the workflow keeps its state. Without it
   * (timers, signals: facts already decided) the activity retries until an operator repairs it.
   */
  refusalIsFinal?: boolean;
}

/** ApplicationFailure type of a storage refusal no retry can cure; details[0] is a StorageRefusal. */
export const STORAGE_REFUSED = 'STORAGE_REFUSED';
export interface StorageRefusal {
  /** Postgres SQLSTATE (22xxx data exception, 23514 check violation, …). */
  sqlState: string;
  /** Path of the offending value inside the decision's payload, when it can be known. */
  field?: string;
}

export interface SharedActivityClaim {
  sharedKey: string;
  requestId: string;
  reference: string;
}

/** Activity interface: implemented by the worker, imported as a type by workflows. */
export interface RequestActivities {
  persistEvents(input: PersistEventsInput): Promise<void>;
  /**
   * Claims a shared activity's key in Postgres: true for the one request that may start its
   * workflow (whatever Temporal has forgotten), false for every other, which joins or stays out.
   */
  claimSharedActivity(input: SharedActivityClaim): Promise<boolean>;
}

/** What one run of the outbox dispatcher did. */
export interface DispatchOutcome {
  emails: number;
  webhooks: number;
}

/** The worker's outbox dispatcher: sends e-mails and webhook deliveries written with the events. */
export interface OutboxActivities {
  /** Runs for about `maxMs`, heartbeating; idempotent (rows are claimed and marked in Postgres). */
  dispatchOutbox(input: { maxMs: number }): Promise<DispatchOutcome>;
}
