import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { Actor, DecisionType, IDEMPOTENCY_KEY_PATTERN } from '@app/domain';
import { DeliveryActivityRepository, RequestRepository } from '@app/persistence';
import { apiError, notFound } from '../common/api-error';
import {
  cancelActivityUpdate,
  decisionUpdate,
  activityEndStoredUpdate,
  activityStream,
  deliveryActivityWorkflowId,
  reportActivityDeliveredUpdate,
  rescheduleActivityUpdate,
  sharedDeliveryActivityWorkflowId,
} from '@app/contracts';
import type { Principal } from '../auth/access.decorators';
import { TemporalClientService } from '../temporal/temporal-client.module';
import { CancelActivityDto, ReportDeliveredDto, RescheduleActivityDto } from './dto/activity-actions.dto';
import { DecisionBaseDto } from './dto/decision-payloads.dto';
import { ActivityRow, DeliveryActivityDto, DeliveryActivityListDto, toDeliveryActivity } from './dto/views.dto';
import { RequestDetailDto } from './request.mapper';
import { RequestsService } from './requests.service';
import { workflowErrorToHttp } from './workflow-errors';
import { DependencyHealthService } from '../health/dependency-health.service';
import { dependencyUnavailable, isPostgresUnavailable } from '../common/dependency-errors';

const UPDATE_DEADLINE_MS = 15_000;
/** How long an activity call waits for the activity's and the request's workflows to catch up. */
const READ_YOUR_WRITE_MS = 5_000;

export type ActivityAction = 'report_delivered' | 'reschedule' | 'cancel';

const ACTIVITY_UPDATES = {
  report_delivered: reportActivityDeliveredUpdate,
  reschedule: rescheduleActivityUpdate,
  cancel: cancelActivityUpdate,
} as const;

/** The validated body without `decisionId`, as plain JSON (undefined fields dropped). */
function payloadOf(body: DecisionBaseDto): { decisionId?: string; payload: Record<string, unknown> } {
  const { decisionId, ...payload } = JSON.parse(JSON.stringify(body)) as Record<string, unknown> & DecisionBaseDto;
  return { decisionId, payload };
}

/** Takes decisions on requests and on their delivery activities, through the workflows' Updates. */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly store: RequestRepository,
    private readonly deliveryActivities: DeliveryActivityRepository,
    private readonly temporal: TemporalClientService,
    private readonly requests: RequestsService,
    private readonly dependencies: DependencyHealthService,
  ) {}

  /**
   * Reads done before anything is sent to the workflow: fails fast while a dependency is known to
   * be down, and a database lost here means nothing was done (503 DEPENDENCY_UNAVAILABLE).
   */
  async beforeEffect<T>(fn: () => Promise<T>): Promise<T> {
    this.dependencies.assertUp('postgres', 'temporal');
    try {
      return await fn();
    } catch (err) {
      if (!isPostgresUnavailable(err)) throw err;
      this.dependencies.suspect('postgres');
      throw dependencyUnavailable('postgres', false);
    }
  }

  /**
   * Decision ids are scoped per user, like Idempotency-Keys: one user's id can never swallow
   * another user's decision. The body's `decisionId` wins, then the Idempotency-Key header.
   */
  decisionId(p: Principal, fromBody: string | undefined, header: string | undefined): string {
    if (fromBody === undefined && header !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(header)) {
      throw apiError('VALIDATION_FAILED', 'Idempotency-Key header: 8 to 120 letters, digits or ._:-', [
        { field: 'Idempotency-Key', reason: '8 to 120 letters, digits or ._:-' },
      ]);
    }
    return `${p.userId}:${fromBody ?? header ?? randomUUID()}`;
  }

  actor(p: Principal): Actor {
    return { userId: p.userId, role: p.role, ...(p.memberState ? { memberState: p.memberState } : {}) };
  }

  async call<T>(fn: () => Promise<T>, opts: Parameters<typeof workflowErrorToHttp>[1]): Promise<T> {
    try {
      // Ends at the deadline, or at once if a probe finds Temporal down meanwhile.
      return await this.dependencies.whileUp('temporal', () =>
        this.temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, fn),
      );
    } catch (err) {
      const http = workflowErrorToHttp(err, opts);
      if (http.getStatus() === 503) this.dependencies.suspect('temporal');
      throw http;
    }
  }

  async decide(
    p: Principal,
    reference: string,
    type: DecisionType,
    body: DecisionBaseDto,
    header?: string,
  ): Promise<RequestDetailDto> {
    const { decisionId: own, payload } = payloadOf(body);
    const decisionId = this.decisionId(p, own, header);
    const { row, done } = await this.beforeEffect(async () => {
      const row = await this.requests.findVisible(p, reference);
      // A retry of a decision already recorded answers with the current state, even once closed.
      const done = await this.store.decisionRecorded(row.id, decisionId);
      return { row, done };
    });
    if (!done) {
      await this.call(
        () =>
          this.temporal.client.workflow.getHandle(row.workflowId).executeUpdate(decisionUpdate(type), {
            args: [{ decisionId, type, actor: this.actor(p), payload: payload as never }],
            updateId: `${type}:${decisionId}`,
          }),
        {},
      );
    }
    return this.requests.get(p, reference);
  }

  /**
   * Delivery activities from their read model; an activity the request has started whose own
   * workflow has not written its first event yet (a moment after approval) is shown as planned.
   */
  async activities(p: Principal, reference: string): Promise<DeliveryActivityListDto> {
    const row = await this.requests.findVisible(p, reference);
    // The stored report is the view's DeliveryReportViewDto (written by the delivery activity's workflow).
    const rows = (await this.deliveryActivities.ofRequest(row.id)) as ActivityRow[];
    const known = new Set(rows.map((a) => a.key));
    for (const started of row.state?.activities ?? []) {
      const planned = row.state?.plan?.activities.find((a) => a.key === started.key);
      if (known.has(started.key) || !planned) continue;
      rows.push({
        key: started.key,
        status: started.status,
        start_date: planned.startDate,
        end_date: planned.endDate,
        place: planned.place,
        reschedules: 0,
        report: null,
        updated_at: row.updatedAt,
      });
    }
    rows.sort((x, y) => x.start_date.localeCompare(y.start_date) || x.key.localeCompare(y.key));
    return { items: rows.map((a) => toDeliveryActivity(a, row.state, p)) };
  }

  async actOnActivity(
    p: Principal,
    reference: string,
    key: string,
    action: ActivityAction,
    body: ReportDeliveredDto | RescheduleActivityDto | CancelActivityDto,
    header?: string,
  ): Promise<DeliveryActivityDto> {
    const request = await this.beforeEffect(() => this.requests.findVisible(p, reference));
    const load = async () => (await this.deliveryActivities.one(request.id, key)) as ActivityRow | undefined;
    const stored = await this.beforeEffect(load);
    // Right after approval the request has started the activity (approve-plan answers once its
    // workflow exists) but that workflow may not have written its first event yet: the Update goes
    // to it all the same and is served after that first write, so there is nothing to wait for here.
    const planned = request.state?.activities.some((a) => a.key === key)
      ? request.state?.plan?.activities.find((a) => a.key === key)
      : undefined;
    if (!stored && !planned) {
      throw notFound('key', 'delivery activity', `request ${reference} has no delivery activity ${key}`);
    }
    const { decisionId: own, payload } = payloadOf(body);
    const decisionId = this.decisionId(p, own, header);
    // A shared (regional) activity is one workflow and one stream for every request it serves.
    const sharedKey = stored ? stored.activity_ref?.match(/^shared\/(.+)$/)?.[1] : planned?.sharedKey;
    const stream = activityStream(request.id, key, sharedKey);
    const done = await this.beforeEffect(() => this.store.decisionRecorded(stream, decisionId));
    if (!done) {
      if (stored && stored.status !== 'scheduled') {
        throw apiError('STAGE_NOT_ALLOWED', `activity ${key} is already ${stored.status}`);
      }
      await this.call(
        () =>
          this.temporal.client.workflow
            .getHandle(
              sharedKey ? sharedDeliveryActivityWorkflowId(sharedKey) : deliveryActivityWorkflowId(reference, key),
            )
            .executeUpdate(ACTIVITY_UPDATES[action] as typeof cancelActivityUpdate, {
              args: [{ ...payload, decisionId, actor: this.actor(p) } as never],
              updateId: `${action}:${decisionId}`,
            }),
        { closed: `activity ${key} is no longer scheduled` },
      );
    }
    const now = (await load())!;
    if (now.status !== 'scheduled') await this.untilRequestStoredEnd(request.workflowId, key);
    return toDeliveryActivity(now, request.state, p);
  }

  /**
   * The request learns that its activity ended a moment later (a signal from the activity's
   * workflow): waits, at most READ_YOUR_WRITE_MS, until the request has stored it, so completing
   * the delivery right after this call works. The activity's own outcome is already stored and is
   * the answer: a request that is closed or slow only makes this wait end sooner or later.
   */
  private async untilRequestStoredEnd(workflowId: string, key: string): Promise<void> {
    try {
      await this.temporal.connection.withDeadline(Date.now() + READ_YOUR_WRITE_MS, () =>
        this.temporal.client.workflow.getHandle(workflowId).executeUpdate(activityEndStoredUpdate, { args: [{ key }] }),
      );
    } catch {
      // Closed, continued as new, or not yet told: the next decision's own checks decide.
    }
  }
}
