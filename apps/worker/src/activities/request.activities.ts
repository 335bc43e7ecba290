import { Injectable } from '@nestjs/common';
import { EventStore } from '@app/persistence';
import type { PersistEventsInput, RequestActivities } from '@app/contracts';

/** Activity implementations. Every method is idempotent: Temporal may run it more than once. */
@Injectable()
export class RequestActivitiesImpl implements RequestActivities {
  constructor(private readonly events: EventStore) {}

  async persistEvents(input: PersistEventsInput): Promise<void> {
    await this.events.persist(input);
  }

  /** Activity functions bound to this instance, as the Worker expects them (names must be unique). */
  asActivities(): RequestActivities {
    return { persistEvents: this.persistEvents.bind(this) };
  }
}
