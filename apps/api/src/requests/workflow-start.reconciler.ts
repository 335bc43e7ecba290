import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RequestRepository } from '@app/persistence';
import { RequestsService } from './requests.service';

/**
 * A request stored while Temporal was unreachable, whose caller never retried, would otherwise
 * sit without a workflow: this sweep starts those (the start is idempotent by workflow id).
 */
@Injectable()
export class WorkflowStartReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkflowStartReconciler.name);
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly store: RequestRepository,
    private readonly requests: RequestsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(olderThanSeconds = 60): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    let started = 0;
    try {
      for (const reference of await this.store.unstarted(olderThanSeconds)) {
        await this.requests.ensureWorkflowStarted(reference);
        started++;
      }
      if (started) this.logger.log(`started ${started} workflow(s) left unstarted by an interrupted submission`);
    } catch (err) {
      this.logger.warn(`reconciliation sweep failed: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
    return started;
  }
}
