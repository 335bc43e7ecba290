import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
    @InjectDataSource() private readonly ds: DataSource,
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
      const rows: { reference: string }[] = await this.ds.query(
        `SELECT reference FROM assistance_requests WHERE last_event_seq = 0 AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 100`,
        [olderThanSeconds],
      );
      for (const { reference } of rows) {
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
