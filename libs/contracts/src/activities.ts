import type { DomainEvent, RequestState } from '@app/domain';
import type { DeliveryActivityView } from './messages';

/** What the read model keeps of the workflow state (lists, work queues and reports read it). */
export interface ReadModelSnapshot {
  stage: RequestState['stage'];
  outcome: RequestState['outcome'] | null;
  ownerRole: string | null;
  overdue: boolean;
  nextDeadlineAt: string | null;
  nextDeadlineKind: string | null;
  state: RequestState;
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
}

/** Activity interface: implemented by the worker, imported as a type by workflows. */
export interface RequestActivities {
  persistEvents(input: PersistEventsInput): Promise<void>;
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
