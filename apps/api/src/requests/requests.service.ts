import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';
import { createHash, randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
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
  workingRole,
} from '@app/domain';
import { WORKFLOW_TYPES, requestWorkflowId } from '@app/contracts';
import type { AssistanceRequestWorkflow } from '@app/contracts';
import { AssistanceRequestEntity, canonicalJson } from '@app/persistence';
import type { Principal } from '../auth/access.decorators';
import { TemporalClientService } from '../temporal/temporal-client.module';
import { apiError, notFound, validationException } from '../common/api-error';
import { DependencyHealthService } from '../health/dependency-health.service';
import { SQL_UTC_MICROS, decodeQueueCursor, encodeQueueCursor } from '../common/cursor';
import { ListRequestsQuery, WorkQueueQuery } from './dto/list-requests.query';
import { SubmitRequestDto } from './dto/submit-request.dto';
import { SUMMARY_COLUMNS, listRequestsSql } from './list-requests.sql';
import {
  EvaluationViewDto,
  ReferralListDto,
  WorkPlanViewDto,
  toEvaluation,
  toReferrals,
  toWorkPlan,
} from './dto/views.dto';
import { EventRow, RequestDetailDto, RequestSummaryDto, toDetail, toSummary } from './request.mapper';
import { ASSIGNEE_COLUMNS, assigneeOf } from './assignment.mapper';
import { assigneeCondition } from './list-requests.sql';

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
    @InjectDataSource() private readonly ds: DataSource,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dependencies: DependencyHealthService,
  ) {}

  /**
   * Files a request exactly once per (user, Idempotency-Key). The key's claim, the request row and
   * its submission are one transaction: whatever fails before the commit (a refusal, a Postgres
   * error, the process killed, Postgres restarting) rolls the claim back with it, so the key is
   * never left claimed with nothing behind it. A concurrent call with the same key waits on the
   * claim's row lock (bounded by `lock_timeout`) and then replays what the first one committed.
   * The workflow start comes after the commit and is idempotent by workflow id, so a retry after
   * any failure finishes whatever the first attempt left undone.
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
    let reference: string | null;
    try {
      reference = await this.ds.transaction(async (tx) => {
        await tx.query(`SET LOCAL lock_timeout = ${IN_FLIGHT_WAIT_MS}`);
        const claimed = await tx.query(
          `INSERT INTO idempotency_keys (user_id, key, body_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
          [p.userId, key, bodyHash],
        );
        if (!claimed.length) return null;
        // One statement writes the request, its submission and the claim's link to it.
        const [row] = await tx.query(
          `WITH st AS (SELECT region FROM member_states WHERE iso3 = $3),
                ref AS (SELECT format('CTAP-%s-%s', extract(year FROM now() AT TIME ZONE 'UTC'),
                                      lpad(nextval('request_reference_seq')::text, 6, '0')) AS reference FROM st),
                req AS (
                  INSERT INTO assistance_requests (id, reference, member_state, region, thematic_areas, origin, title, stage, owner_role, submitted_by, submitted_at, workflow_id, state, urgent)
                  SELECT $4, ref.reference, $3, st.region, $5, $6, $7, 'cted_review', 'cted_officer', $1, now(), $9 || ref.reference, NULL, $10
                    FROM st, ref
                  RETURNING id, reference),
                sub AS (INSERT INTO request_submissions (request_id, body) SELECT req.id, $8 FROM req),
                link AS (UPDATE idempotency_keys k SET resource_ref = req.reference FROM req
                          WHERE k.user_id = $1 AND k.key = $2 RETURNING k.resource_ref)
           SELECT resource_ref AS reference FROM link`,
          [
            p.userId,
            key,
            memberState,
            randomUUID(),
            [...new Set(dto.needs.map((n) => n.thematicArea))].sort(),
            origin,
            dto.title,
            JSON.stringify(submission),
            requestWorkflowId(''),
            dto.urgency === 'urgent',
          ],
        );
        if (!row) {
          // Thrown inside the transaction, so the claim is rolled back and the key stays free.
          throw apiError('UNKNOWN_MEMBER_STATE', `memberState: ${memberState} is not a UN Member State`, [
            { field: 'memberState', reason: 'not a UN Member State' },
          ]);
        }
        return row.reference as string;
      });
    } catch (err) {
      if ((err as { code?: string }).code === PG_LOCK_NOT_AVAILABLE)
        throw apiError(
          'IDEMPOTENCY_KEY_IN_FLIGHT',
          'the first request with this Idempotency-Key is still being processed; retry',
        );
      throw err;
    }
    if (reference !== null) return this.finishSubmission(p, key, reference);
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
    const [row] = await this.ds.query(
      'SELECT body_hash, resource_ref, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [p.userId, key],
    );
    if (!row)
      throw apiError(
        'IDEMPOTENCY_KEY_IN_FLIGHT',
        'the first request with this Idempotency-Key was rolled back just now; retry',
      );
    if (!row.resource_ref) {
      // A claim left by a version that committed the claim on its own, with no request behind it:
      // take it over (delete it and file this request now, whatever body it claimed) rather than
      // refuse the key for ever.
      const taken = await this.ds.query(
        `WITH taken AS (DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND resource_ref IS NULL
                            AND created_at < now() - make_interval(secs => $3) RETURNING key)
         SELECT key FROM taken`,
        [p.userId, key, ORPHAN_CLAIM_SECONDS],
      );
      if (taken.length) return 'taken-over';
      throw apiError(
        'IDEMPOTENCY_KEY_IN_FLIGHT',
        'the first request with this Idempotency-Key is still being processed; retry',
      );
    }
    if (row.body_hash !== bodyHash) {
      throw apiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different body');
    }
    if (row.response_status) return { status: row.response_status, body: row.response_body, replayed: true };
    const finished = await this.finishSubmission(p, key, row.resource_ref);
    return { ...finished, replayed: true };
  }

  private async finishSubmission(p: Principal, key: string, reference: string): Promise<Stored<RequestSummaryDto>> {
    await this.ensureWorkflowStarted(reference);
    const row = await this.ds.getRepository(AssistanceRequestEntity).findOneByOrFail({ reference });
    const body = toSummary(row);
    await this.ds.query(
      'UPDATE idempotency_keys SET response_status = 201, response_body = $3 WHERE user_id = $1 AND key = $2 AND response_status IS NULL',
      [p.userId, key, JSON.stringify(body)],
    );
    return { status: 201, body, replayed: false };
  }

  /**
   * Starts the request's workflow unless it has started. Also used by the reconciler. Postgres,
   * not Temporal's retention, says whether it has: once the workflow has stored its first event
   * (last_event_seq > 0) it is never started again, even if Temporal has forgotten the closed run.
   * The deadline configuration is fixed here, once, and stored with the request: the urgent row
   * for an urgent request (shorter deadlines), the routine one otherwise.
   */
  async ensureWorkflowStarted(reference: string): Promise<void> {
    const [row] = await this.ds.query(
      `WITH fixed AS (
         UPDATE assistance_requests r
            SET deadline_config = COALESCE(r.deadline_config, CASE WHEN r.urgent THEN $3::jsonb ELSE $2::jsonb END)
           FROM request_submissions s WHERE s.request_id = r.id AND r.reference = $1
         RETURNING r.id, r.reference, r.title, r.member_state, r.region, r.origin, r.submitted_at, r.last_event_seq,
                   r.deadline_config, s.body)
       SELECT * FROM fixed`,
      [
        reference,
        JSON.stringify(deadlinesFor(this.config.deadlines, 'routine')),
        JSON.stringify(deadlinesFor(this.config.deadlines, 'urgent')),
      ],
    );
    if (!row || row.last_event_seq > 0) return;
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
    const { sql, args, limit, cursorOf } = listRequestsSql(p, q);
    const raw = await this.ds.query(sql, args);
    const page = raw.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((x: Record<string, unknown>) => toSummary(fromRaw(x), assigneeOf(x, p))),
      nextCursor: raw.length > limit && last ? cursorOf(last) : null,
    };
  }

  /**
   * The caller's work queue: open requests whose current stage its role owns (a focal point: its
   * own State's only), urgent ones first, then the nearest deadline first, keyset-paginated on
   * (urgent, next_deadline_at, id).
   */
  async workQueue(p: Principal, q: WorkQueueQuery): Promise<{ items: RequestSummaryDto[]; nextCursor: string | null }> {
    // A supervisor's queue is its body's: the stages its officers (managers) own.
    const args: unknown[] = [workingRole(p.role)];
    const where = ['r.owner_role = $1', `r.stage <> 'closed'`];
    if (p.role === Role.MemberState) {
      args.push(p.memberState);
      where.push(`r.member_state = $${args.length}`);
    }
    if (q.overdue !== undefined) {
      args.push(q.overdue);
      where.push(`r.overdue = $${args.length}`);
    }
    if (q.assignee) {
      const { sql, arg } = assigneeCondition(p, q.assignee);
      if (arg !== undefined) args.push(arg);
      where.push(sql.replaceAll('?', `$${args.length}`));
    }
    if (q.cursor) {
      const { urgent, at, id } = decodeQueueCursor(q.cursor);
      args.push(id);
      const idArg = `$${args.length}`;
      let after: string;
      if (at === null) {
        after = `(r.next_deadline_at IS NULL AND r.id > ${idArg}::uuid)`;
      } else {
        args.push(at);
        const atArg = `$${args.length}::timestamptz`;
        after = `(r.next_deadline_at > ${atArg} OR (r.next_deadline_at = ${atArg} AND r.id > ${idArg}::uuid) OR r.next_deadline_at IS NULL)`;
      }
      // Urgent rows come first: after an urgent row, the rest of the urgent ones, then every routine one.
      where.push(urgent ? `(NOT r.urgent OR ${after})` : `(NOT r.urgent AND ${after})`);
    }
    const limit = q.limit ?? 25;
    args.push(limit + 1);
    const raw = await this.ds.query(
      `SELECT ${SUMMARY_COLUMNS}, ${ASSIGNEE_COLUMNS}, ${SQL_UTC_MICROS('r.next_deadline_at')} AS cursor_at FROM assistance_requests r
        WHERE ${where.join(' AND ')} ORDER BY r.urgent DESC, r.next_deadline_at ASC NULLS LAST, r.id ASC LIMIT $${args.length}`,
      args,
    );
    const page = raw.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((x: Record<string, unknown>) => toSummary(fromRaw(x), assigneeOf(x, p))),
      nextCursor:
        raw.length > limit && last ? encodeQueueCursor(last.urgent === true, last.cursor_at ?? null, last.id) : null,
    };
  }

  /** Loads a request the principal may see; anything else is "not found", so existence does not leak. */
  async findVisible(p: Principal, reference: string): Promise<AssistanceRequestEntity> {
    const row = await this.ds.getRepository(AssistanceRequestEntity).findOneBy({ reference });
    if (!row || (p.role === Role.MemberState && row.memberState.trim() !== p.memberState)) {
      throw notFound('reference', 'request', `request ${reference} not found`);
    }
    return row;
  }

  async get(p: Principal, reference: string): Promise<RequestDetailDto> {
    return this.detail(await this.findVisible(p, reference), p);
  }

  async detail(row: AssistanceRequestEntity, p: Principal): Promise<RequestDetailDto> {
    const events: EventRow[] = await this.ds.query(
      `SELECT e.seq, e.stream, e.type, e.occurred_at, e.actor_role, e.actor_member_state, u.display_name AS actor_name, e.payload
         FROM request_events e LEFT JOIN users u ON u.id::text = e.actor_user_id
        WHERE e.request_id = $1 ORDER BY e.occurred_at, e.id`,
      [row.id],
    );
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
    const [held] = row.assigneeId
      ? await this.ds.query('SELECT id::text AS assignee_id, display_name AS assignee_name FROM users WHERE id = $1', [
          row.assigneeId,
        ])
      : [];
    // Who submitted it (the focal point, or the CTED officer filing on a State's behalf): the
    // submitted event itself is recorded by the workflow, so its actor is the system.
    const [submitter] = row.submittedBy
      ? await this.ds.query('SELECT display_name AS "displayName", role FROM users WHERE id = $1', [row.submittedBy])
      : [];
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
    const followUps: { reference: string; stage: string }[] = await this.ds.query(
      'SELECT reference, stage FROM assistance_requests WHERE linked_from = $1 ORDER BY reference',
      [row.reference],
    );
    return toEvaluation(
      row.state,
      followUps.map((f) => ({ reference: f.reference, stage: f.stage })),
    );
  }
}

function fromRaw(x: Record<string, unknown>): AssistanceRequestEntity {
  return {
    id: x.id as string,
    reference: x.reference as string,
    memberState: x.member_state as string,
    region: x.region as string,
    thematicAreas: x.thematic_areas as string[],
    origin: x.origin as AssistanceRequestEntity['origin'],
    title: x.title as string,
    stage: x.stage as string,
    outcome: x.outcome as string | null,
    ownerRole: x.owner_role as string | null,
    overdue: x.overdue as boolean,
    urgent: x.urgent as boolean,
    nextDeadlineAt: x.next_deadline_at as Date | null,
    nextDeadlineKind: x.next_deadline_kind as string | null,
    submittedAt: x.submitted_at as Date,
    linkedFrom: x.linked_from as string | null,
    assigneeId: (x.assignee_id as string | null) ?? null,
  } as AssistanceRequestEntity;
}

function withoutAssignees(state: RequestState): RequestState {
  const { assignees: _hidden, ...rest } = state;
  return rest;
}
