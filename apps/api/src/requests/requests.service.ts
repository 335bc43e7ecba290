import { Inject, Injectable } from '@nestjs/common';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';
import { createHash, randomUUID } from 'crypto';
import { APP_CONFIG, AppConfig } from '@app/common';
import {
  DeadlineConfig,
  NewRequest,
  Role,
  Stage,
  RequestState,
  allowedAssignmentActions,
  allowedDecisions,
  availableDecisions,
  bodyOfRole,
  deadlinesFor,
  latestPossibleDate,
  upcomingTimers,
} from '@app/domain';
import { WORKFLOW_TYPES, requestWorkflowId } from '@app/contracts';
import type { AssistanceRequestWorkflow } from '@app/contracts';
import {
  AssistanceRequestEntity,
  FileResult,
  RequestRepository,
  RequestSummaryRow,
  UserRepository,
  WorkflowStartRow,
  canonicalJson,
} from '@app/persistence';
import type { Principal } from '../auth/access.decorators';
import { TemporalClientService } from '../temporal/temporal-client.module';
import { apiError, notFound, validationException } from '../common/api-error';
import { DependencyHealthService } from '../health/dependency-health.service';
import { ListRequestsQuery, WorkQueueCountsQuery, WorkQueueQuery } from './dto/list-requests.query';
import { SubmitRequestDto } from './dto/submit-request.dto';
import { SummaryPageQuery, listRequestsSql } from './list-requests.sql';
import { workQueueCountsSql, workQueueSql } from './work-queue.sql';
import {
  EvaluationViewDto,
  ReferralListDto,
  WorkPlanViewDto,
  toEvaluation,
  toReferrals,
  toWorkPlan,
} from './dto/views.dto';
import {
  EventRow,
  RequestDetailDto,
  RequestSummaryDto,
  WorkQueueCountsDto,
  toDetail,
  toSummary,
} from './request.mapper';
import { assigneeOf } from './assignment.mapper';

export interface Stored<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const UPDATE_DEADLINE_MS = 15_000;
const IN_FLIGHT_WAIT_MS = 10_000;
/** SQLSTATE 55P03: `lock_timeout` expired while waiting for another call's claim. */
const PG_LOCK_NOT_AVAILABLE = '55P03';
/** A claim without a request older than this was left by an older release that committed claims on their own. */
const ORPHAN_CLAIM_SECONDS = 60;

@Injectable()
export class RequestsService {
  constructor(
    private readonly requests: RequestRepository,
    private readonly users: UserRepository,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dependencies: DependencyHealthService,
  ) {}

  /**
   * Files a request exactly once per (user, Idempotency-Key). The key's claim, the request row, its
   * submission, its deadline configuration and the response are one statement and one commit
   * (RequestRepository.file): whatever fails before the commit (a refusal, a Postgres error, the
   * process killed, Postgres restarting) leaves nothing, so the key is never left claimed with
   * nothing behind it. A concurrent call with the same key waits on the claim's row lock (bounded
   * by `lock_timeout`) and then replays what the first one committed. The workflow start comes
   * after the commit and is idempotent by workflow id; a replay starts it if the first call did
   * not (and so does the reconciler), so a retry after any failure finishes what was left undone.
   */
  async submit(p: Principal, dto: SubmitRequestDto, key: string, attempt = 0): Promise<Stored<RequestSummaryDto>> {
    const memberState = this.submittingState(p, dto);
    // Known down: refuse before storing anything rather than store a request whose workflow waits.
    this.dependencies.assertUp('postgres', 'temporal');
    const bodyHash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    const origin = bodyOfRole(p.role) === 'cted' ? 'cted_assessment' : 'member_state';
    const submission = {
      title: dto.title,
      needs: dto.needs,
      urgency: dto.urgency,
      consent: dto.consent ?? null,
      assessmentRef: dto.assessmentRef ?? null,
    };
    let filed: FileResult;
    try {
      filed = await this.requests.file({
        userId: p.userId,
        key,
        bodyHash,
        id: randomUUID(),
        memberState,
        thematicAreas: [...new Set(dto.needs.map((n) => n.thematicArea))].sort(),
        origin,
        title: dto.title,
        submission,
        workflowIdPrefix: requestWorkflowId(''),
        lockTimeoutMs: IN_FLIGHT_WAIT_MS,
        urgent: dto.urgency === 'urgent',
        // Fixed once, as the request is filed: the urgent row for an urgent request (shorter deadlines).
        deadlineConfig: deadlinesFor(this.config.deadlines, dto.urgency === 'urgent' ? 'urgent' : 'routine'),
      });
    } catch (err) {
      if ((err as { code?: string }).code === PG_LOCK_NOT_AVAILABLE)
        throw apiError(
          'IDEMPOTENCY_KEY_IN_FLIGHT',
          'the first request with this Idempotency-Key is still being processed; retry',
        );
      throw err;
    }
    if (filed.filed) {
      await this.startWorkflow(filed.start);
      return { status: 201, body: filed.response as unknown as RequestSummaryDto, replayed: false };
    }
    if (filed.why === 'unknown-member-state') {
      // The claim was deleted in the same transaction: the key stays free.
      throw apiError('UNKNOWN_MEMBER_STATE', `memberState: ${memberState} is not a UN Member State`, [
        { field: 'memberState', reason: 'not a UN Member State' },
      ]);
    }
    const replayed = await this.replay(p, key, bodyHash);
    if (replayed !== 'taken-over') return replayed;
    if (attempt > 0)
      throw apiError(
        'IDEMPOTENCY_KEY_IN_FLIGHT',
        'another request with this Idempotency-Key is being processed; retry',
      );
    return this.submit(p, dto, key, attempt + 1);
  }

  private submittingState(p: Principal, dto: SubmitRequestDto): string {
    if (p.role === Role.MemberState) {
      if (dto.memberState && dto.memberState !== p.memberState) {
        throw apiError('INVALID_PAYLOAD', 'memberState: a focal point files requests for its own State only', [
          { field: 'memberState', reason: 'must be your own State' },
        ]);
      }
      if (dto.consent) {
        throw apiError('INVALID_PAYLOAD', "consent: only CTED records a State's consent", [
          { field: 'consent', reason: 'only for requests CTED opens' },
        ]);
      }
      return p.memberState!;
    }
    const missing = [!dto.memberState && 'memberState', !dto.consent && 'consent'].filter(Boolean) as string[];
    if (missing.length) {
      throw apiError(
        'INVALID_PAYLOAD',
        missing.map((f) => `${f}: required when CTED opens a request on a State's behalf`).join('; '),
        missing.map((field) => ({ field, reason: "required when CTED opens a request on a State's behalf" })),
      );
    }
    // Consent is a fact: it cannot have been given on a day that has not yet begun anywhere.
    if (dto.consent!.grantedAt > latestPossibleDate(Date.now()))
      throw validationException(
        [{ field: 'consent.grantedAt', reason: 'must not be in the future', rule: 'in_future' }],
        'INVALID_PAYLOAD',
      );
    return dto.memberState!;
  }

  /**
   * Another call with this key has committed (the claim insert waited for it). Its request is
   * stored: answer with its response, or finish it (start the workflow) if that call died first.
   */
  private async replay(p: Principal, key: string, bodyHash: string): Promise<Stored<RequestSummaryDto> | 'taken-over'> {
    const row = await this.requests.claim(p.userId, key);
    if (!row)
      throw apiError(
        'IDEMPOTENCY_KEY_IN_FLIGHT',
        'the first request with this Idempotency-Key was rolled back just now; retry',
      );
    if (!row.resource_ref) {
      // A claim left by a version that committed the claim on its own, with no request behind it:
      // take it over (delete it and file this request now, whatever body it claimed) rather than
      // refuse the key for ever.
      if (await this.requests.takeOverOrphanClaim(p.userId, key, ORPHAN_CLAIM_SECONDS)) return 'taken-over';
      throw apiError(
        'IDEMPOTENCY_KEY_IN_FLIGHT',
        'the first request with this Idempotency-Key is still being processed; retry',
      );
    }
    if (row.body_hash !== bodyHash) {
      throw apiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different body');
    }
    if (row.response_status) {
      // The response is stored as the request is filed, before its workflow starts: the first
      // call may have died (or Temporal refused) in between, so start it unless it has stored events.
      if (!row.last_event_seq) await this.ensureWorkflowStarted(row.resource_ref);
      return { status: row.response_status, body: row.response_body as RequestSummaryDto, replayed: true };
    }
    // Filed by a release that recorded the response only after the start, by a call that died first.
    const finished = await this.finishSubmission(p, key, row.resource_ref);
    return { ...finished, replayed: true };
  }

  private async finishSubmission(p: Principal, key: string, reference: string): Promise<Stored<RequestSummaryDto>> {
    await this.ensureWorkflowStarted(reference);
    const body = toSummary((await this.requests.byReference(reference))!);
    await this.requests.recordResponse(p.userId, key, 201, body);
    return { status: 201, body, replayed: false };
  }

  /**
   * Starts the request's workflow unless it has started. Used by replays and the reconciler.
   * Postgres, not Temporal's retention, says whether it has: once the workflow has stored its first
   * event (last_event_seq > 0) it is never started again, even if Temporal has forgotten the closed
   * run. The deadline configuration is fixed as the request is filed; a request filed by an older
   * release without one gets it here, once: the urgent row for an urgent request, the routine one otherwise.
   */
  async ensureWorkflowStarted(reference: string): Promise<void> {
    const row = await this.requests.fixDeadlinesForStart(reference, {
      routine: deadlinesFor(this.config.deadlines, 'routine'),
      urgent: deadlinesFor(this.config.deadlines, 'urgent'),
    });
    if (!row || row.last_event_seq > 0) return;
    await this.startWorkflow(row);
  }

  /**
   * Starts the workflow of a request that has stored no event yet (`workflowIdConflictPolicy:
   * USE_EXISTING`: a second start of a running one is a no-op; `REJECT_DUPLICATE`: a closed run is
   * never restarted).
   */
  private async startWorkflow(row: WorkflowStartRow): Promise<void> {
    const reference = row.reference;
    const body = row.body as {
      needs: { thematicArea: string; description: string; modalities: string[] }[];
      consent: NewRequest['consent'] | null;
    };
    const request: NewRequest = {
      requestId: row.id,
      reference: row.reference,
      title: row.title,
      memberState: row.member_state.trim(),
      region: row.region,
      origin: row.origin,
      consent: body.consent ?? undefined,
      needs: body.needs.map((n, i) => ({ ...n, id: `need-${i + 1}` })),
      submittedAt: new Date(row.submitted_at).getTime(),
    };
    try {
      await this.dependencies.whileUp('temporal', () =>
        this.temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
          this.temporal.client.workflow.start<AssistanceRequestWorkflow>(WORKFLOW_TYPES.assistanceRequest, {
            taskQueue: this.temporal.taskQueue,
            workflowId: requestWorkflowId(reference),
            args: [{ request, deadlines: row.deadline_config as DeadlineConfig }],
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            // A run that closed before storing anything is not restarted either.
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          }),
        ),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return;
      this.dependencies.suspect('temporal');
      throw apiError(
        'OUTCOME_UNKNOWN',
        'the request is stored but its workflow may not have started yet; retry with the same Idempotency-Key to finish it',
        undefined,
        err,
      );
    }
  }

  async list(p: Principal, q: ListRequestsQuery): Promise<{ items: RequestSummaryDto[]; nextCursor: string | null }> {
    return this.page(p, listRequestsSql(p, q));
  }

  /**
   * The caller's work queue: open requests whose current stage its role owns (a focal point: its
   * own State's only; a supervisor's: its body's), urgent ones first, then the nearest deadline
   * first (work-queue.sql.ts).
   */
  async workQueue(p: Principal, q: WorkQueueQuery): Promise<{ items: RequestSummaryDto[]; nextCursor: string | null }> {
    return this.page(p, workQueueSql(p, q));
  }

  /** How many requests the whole queue holds, per stage (lifecycle order) and overdue. */
  async workQueueCounts(p: Principal, q: WorkQueueCountsQuery): Promise<WorkQueueCountsDto> {
    const rows = await this.requests.stageCounts(workQueueCountsSql(p, q));
    const order = Object.values(Stage) as string[];
    const byStage = rows.sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage));
    return {
      total: byStage.reduce((n, r) => n + r.count, 0),
      overdue: byStage.reduce((n, r) => n + r.overdue, 0),
      byStage,
    };
  }

  /** A page of a list query, asked for limit + 1 rows: the extra one says whether there is a next page. */
  private async page(p: Principal, q: SummaryPageQuery) {
    const rows: RequestSummaryRow[] = await this.requests.summaries(q);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((x) =>
        toSummary(x.request, assigneeOf({ assignee_id: x.request.assigneeId, assignee_name: x.assigneeName }, p)),
      ),
      nextCursor: rows.length > q.limit && last ? q.cursorOf(last) : null,
    };
  }

  /** Loads a request the principal may see; anything else is "not found", so existence does not leak. */
  async findVisible(p: Principal, reference: string): Promise<AssistanceRequestEntity> {
    const row = await this.requests.byReference(reference);
    if (!row || (p.role === Role.MemberState && row.memberState.trim() !== p.memberState)) {
      throw notFound('reference', 'request', `request ${reference} not found`);
    }
    return row;
  }

  async get(p: Principal, reference: string): Promise<RequestDetailDto> {
    return this.detail(await this.findVisible(p, reference), p);
  }

  async detail(row: AssistanceRequestEntity, p: Principal): Promise<RequestDetailDto> {
    const events: EventRow[] = await this.requests.history(row.id);
    // The request's own deadlines (those its workflow's timers use), not this process's settings.
    const deadlines = row.deadlineConfig ?? this.config.deadlines;
    const allowed = [
      // What the caller can take now: role, State, stage and the state's preconditions (no
      // "approve" before there is an agreed plan); the state is null only before the first event.
      ...(row.state
        ? availableDecisions(row.state, { role: p.role, memberState: p.memberState })
        : allowedDecisions(
            { stage: row.stage as Stage, memberState: row.memberState.trim() },
            { role: p.role, memberState: p.memberState },
          )),
      ...allowedAssignmentActions(row.state, p),
    ];
    const [held] = row.assigneeId ? [await this.users.assignee(row.assigneeId)] : [];
    // Who submitted it (the focal point, or the CTED officer filing on a State's behalf): the
    // submitted event itself is recorded by the workflow, so its actor is the system.
    const submitter = row.submittedBy ? await this.users.submitter(row.submittedBy) : undefined;
    // Assignment is CTED's and UNODC's business: a focal point sees neither the assignee nor the state's record of it.
    const shown =
      p.role === Role.MemberState && row.state?.assignees ? { ...row, state: withoutAssignees(row.state) } : row;
    return toDetail(
      shown,
      events,
      row.state ? upcomingTimers(row.state, deadlines) : [],
      allowed,
      assigneeOf(held ?? {}, p),
      submitter ?? null,
    );
  }

  async referrals(p: Principal, reference: string): Promise<ReferralListDto> {
    return toReferrals((await this.findVisible(p, reference)).state);
  }

  async workPlan(p: Principal, reference: string): Promise<WorkPlanViewDto> {
    return toWorkPlan((await this.findVisible(p, reference)).state);
  }

  async evaluation(p: Principal, reference: string): Promise<EvaluationViewDto> {
    const row = await this.findVisible(p, reference);
    const followUps = await this.requests.followUps(row.reference);
    return toEvaluation(
      row.state,
      followUps.map((f) => ({ reference: f.reference, stage: f.stage })),
    );
  }
}

function withoutAssignees(state: RequestState): RequestState {
  const { assignees: _hidden, ...rest } = state;
  return rest;
}
