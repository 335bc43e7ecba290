import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { EventStore, SharedActivityClaims, storageRefusal } from '@app/persistence';
import { STORAGE_REFUSED } from '@app/contracts';
import type { PersistEventsInput, RequestActivities, SharedActivityClaim } from '@app/contracts';

/** Activity implementations. Every method is idempotent: Temporal may run it more than once. */
@Injectable()
export class RequestActivitiesImpl implements RequestActivities {
  constructor(
    private readonly events: EventStore,
    private readonly claims: SharedActivityClaims,
  ) {}

  async claimSharedActivity(input: SharedActivityClaim): Promise<boolean> {
    return this.claims.claim(input);
  }

  async persistEvents(input: PersistEventsInput): Promise<void> {
    try {
      await this.events.persist(input);
    } catch (err) {
      // A decision's events that Postgres refuses as data end the decision, not the request.
      const refusal = input.refusalIsFinal ? storageRefusal(err, input.events[0]?.payload) : undefined;
      if (!refusal) throw err;
      throw ApplicationFailure.create({
        type: STORAGE_REFUSED,
        message: `the database refused the decision${refusal.field ? ` (${refusal.field})` : ''}: ${(err as Error).message}`,
        nonRetryable: true,
        details: [refusal],
      });
    }
  }

  /** Activity functions bound to this instance, as the Worker expects them (names must be unique). */
  asActivities(): RequestActivities {
    return {
      persistEvents: this.persistEvents.bind(this),
      claimSharedActivity: this.claimSharedActivity.bind(this),
    };
  }
}
