import { Injectable, Logger } from '@nestjs/common';
import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { TemporalClientService } from '../temporal/temporal-client.module';

export interface StuckWorkflow {
  workflowId: string;
  /** The request the workflow belongs to (null for a shared activity serving several). */
  reference: string | null;
  kind: 'activity' | 'workflow_task';
  /** Activity function that keeps failing (kind activity). */
  activityType: string | null;
  attempt: number;
  /** When the failing step was first scheduled. */
  since: string | null;
  error: string | null;
}

/** Attempts after which a step counts as stuck rather than as riding out a short outage. */
const DEFAULT_MIN_ATTEMPTS = 5;
/** Running workflows examined per call: describing each costs one round trip. */
const MAX_EXAMINED = 2000;
const CACHE_MS = 15_000;

/**
 * Workflows whose workflow task or activity keeps failing, from Temporal itself: every running
 * workflow of this task queue is described, and a pending activity or workflow task that has
 * failed `minAttempts` times is reported with its last error and the time it was first scheduled.
 */
@Injectable()
export class StuckRequestsService {
  private readonly logger = new Logger(StuckRequestsService.name);
  private cached?: { at: number; items: StuckWorkflow[] };

  constructor(private readonly temporal: TemporalClientService) {}

  get minAttempts(): number {
    const n = Number(process.env.CTAP_STUCK_MIN_ATTEMPTS);
    return Number.isInteger(n) && n > 1 ? n : DEFAULT_MIN_ATTEMPTS;
  }

  /** For /health: a recent answer is good enough, and the count must not cost a full scan per probe. */
  async count(): Promise<number> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.items.length;
    return (await this.list()).length;
  }

  async list(): Promise<StuckWorkflow[]> {
    const client = this.temporal.client;
    const query = `ExecutionStatus = "Running" AND TaskQueue = "${this.temporal.taskQueue}"`;
    const items: StuckWorkflow[] = [];
    let examined = 0;
    for await (const wf of client.workflow.list({ query })) {
      if (++examined > MAX_EXAMINED) {
        this.logger.warn(`more than ${MAX_EXAMINED} running workflows: only the first ones were examined`);
        break;
      }
      const handle = client.workflow.getHandle(wf.workflowId, wf.runId);
      let description: WorkflowExecutionDescription;
      try {
        description = await handle.describe();
      } catch {
        continue; // closed meanwhile
      }
      items.push(...(await this.stuckSteps(handle, description)));
    }
    items.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
    this.cached = { at: Date.now(), items };
    return items;
  }

  private async stuckSteps(handle: WorkflowHandle, d: WorkflowExecutionDescription): Promise<StuckWorkflow[]> {
    const base = { workflowId: handle.workflowId, reference: referenceOf(handle.workflowId) };
    const found: StuckWorkflow[] = [];
    for (const a of d.raw.pendingActivities ?? []) {
      if ((a.attempt ?? 0) < this.minAttempts) continue;
      found.push({
        ...base,
        kind: 'activity',
        activityType: a.activityType?.name ?? null,
        attempt: a.attempt ?? 0,
        since: await this.activityScheduledAt(handle, String(a.activityId)),
        error: a.lastFailure?.message ?? null,
      });
    }
    const task = d.raw.pendingWorkflowTask;
    if (task && (task.attempt ?? 0) >= this.minAttempts) {
      found.push({
        ...base,
        kind: 'workflow_task',
        activityType: null,
        attempt: task.attempt ?? 0,
        since: timestamp(task.originalScheduledTime),
        error: await this.lastWorkflowTaskFailure(handle),
      });
    }
    return found;
  }

  private async activityScheduledAt(handle: WorkflowHandle, activityId: string): Promise<string | null> {
    const history = await handle.fetchHistory();
    const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes?.activityId === activityId);
    return timestamp(scheduled?.eventTime);
  }

  private async lastWorkflowTaskFailure(handle: WorkflowHandle): Promise<string | null> {
    const history = await handle.fetchHistory();
    const failed = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
    return failed[failed.length - 1]?.workflowTaskFailedEventAttributes?.failure?.message ?? null;
  }
}

/** assistance-request/<ref>, delivery-activity/<ref>/<key>; a shared activity serves several requests. */
function referenceOf(workflowId: string): string | null {
  const [kind, ref] = workflowId.split('/');
  if (kind === 'assistance-request') return ref ?? null;
  if (kind === 'delivery-activity' && ref !== 'shared') return ref ?? null;
  return null;
}

function timestamp(t: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!t?.seconds) return null;
  return new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}
