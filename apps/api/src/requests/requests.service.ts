import {
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { createHash, randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/common';
import { NewRequest, Role, upcomingTimers } from '@app/domain';
import { requestWorkflowId } from '@app/contracts';
import { AssistanceRequestEntity, canonicalJson } from '@app/persistence';
import type { Principal } from '../auth/access.decorators';
import { TemporalClientService } from '../temporal/temporal-client.module';
import { SQL_UTC_MICROS, decodeCursor, encodeCursor } from '../common/cursor';
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

export interface Stored<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const UPDATE_DEADLINE_MS = 15_000;
const IN_FLIGHT_WAIT_MS = 10_000;

@Injectable()
export class RequestsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Files a request exactly once per (user, Idempotency-Key): the row and the key's claim are
   * written in one transaction, the workflow start is idempotent by workflow id, and a retry
   * after any failure finishes whatever the first attempt left undone.
   */
  async submit(p: Principal, dto: SubmitRequestDto, key: string): Promise<Stored<RequestSummaryDto>> {
    const memberState = this.submittingState(p, dto);
    const bodyHash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    const claimed = await this.ds.query(
      `INSERT INTO idempotency_keys (user_id, key, body_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
      [p.userId, key, bodyHash],
    );
    if (!claimed.length) return this.replay(p, key, bodyHash);

    const [state] = await this.ds.query('SELECT region FROM member_states WHERE iso3 = $1', [memberState]);
    if (!state) {
      await this.ds.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2', [p.userId, key]);
      throw new UnprocessableEntityException({
        code: 'VALIDATION_FAILED',
        detail: `memberState: ${memberState} is not a UN Member State`,
        errors: [{ field: 'memberState', reason: 'not a UN Member State' }],
      });
    }
    const reference = await this.ds.transaction(async (tx) => {
      const [{ seq }] = await tx.query(`SELECT nextval('request_reference_seq') AS seq`);
      const ref = `CTAP-${new Date().getUTCFullYear()}-${String(seq).padStart(6, '0')}`;
      const id = randomUUID();
      const origin = p.role === Role.CtedOfficer ? 'cted_assessment' : 'member_state';
      const submission = {
        title: dto.title,
        needs: dto.needs,
        urgency: dto.urgency,
        consent: dto.consent ?? null,
        assessmentRef: dto.assessmentRef ?? null,
      };
      await tx.query(
        `INSERT INTO assistance_requests (id, reference, member_state, region, thematic_areas, origin, title, stage, owner_role, submitted_by, submitted_at, workflow_id, state)
         VALUES ($1,$2,$3,$4,$5,$6,$7,'cted_review','cted_officer',$8, now(), $9, NULL)`,
        [
          id,
          ref,
          memberState,
          state.region,
          [...new Set(dto.needs.map((n) => n.thematicArea))].sort(),
          origin,
          dto.title,
          p.userId,
          requestWorkflowId(ref),
        ],
      );
      await tx.query(`INSERT INTO request_submissions (request_id, body) VALUES ($1, $2)`, [
        id,
        JSON.stringify(submission),
      ]);
      await tx.query('UPDATE idempotency_keys SET resource_ref = $3 WHERE user_id = $1 AND key = $2', [
        p.userId,
        key,
        ref,
      ]);
      return ref;
    });
    return this.finishSubmission(p, key, reference);
  }

  private submittingState(p: Principal, dto: SubmitRequestDto): string {
    if (p.role === Role.MemberState) {
      if (dto.memberState && dto.memberState !== p.memberState) {
        throw new UnprocessableEntityException({
          code: 'VALIDATION_FAILED',
          detail: 'memberState: a focal point files requests for its own State only',
          errors: [{ field: 'memberState', reason: 'must be your own State' }],
        });
      }
      if (dto.consent) {
        throw new UnprocessableEntityException({
          code: 'VALIDATION_FAILED',
          detail: "consent: only CTED records a State's consent",
          errors: [{ field: 'consent', reason: 'only for requests CTED opens' }],
        });
      }
      return p.memberState!;
    }
    const missing = [!dto.memberState && 'memberState', !dto.consent && 'consent'].filter(Boolean) as string[];
    if (missing.length) {
      throw new UnprocessableEntityException({
        code: 'VALIDATION_FAILED',
        detail: missing.map((f) => `${f}: required when CTED opens a request on a State's behalf`).join('; '),
        errors: missing.map((field) => ({ field, reason: "required when CTED opens a request on a State's behalf" })),
      });
    }
    return dto.memberState!;
  }

  private async replay(p: Principal, key: string, bodyHash: string): Promise<Stored<RequestSummaryDto>> {
    const until = Date.now() + IN_FLIGHT_WAIT_MS;
    for (;;) {
      const [row] = await this.ds.query(
        'SELECT body_hash, resource_ref, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
        [p.userId, key],
      );
      if (!row)
        throw new ConflictException({
          code: 'IDEMPOTENCY_KEY_IN_FLIGHT',
          detail: 'a request with this Idempotency-Key failed; retry',
        });
      if (row.body_hash !== bodyHash) {
        throw new UnprocessableEntityException({
          code: 'IDEMPOTENCY_KEY_REUSED',
          detail: 'this Idempotency-Key was used with a different body',
        });
      }
      if (row.response_status) return { status: row.response_status, body: row.response_body, replayed: true };
      if (row.resource_ref && Date.now() > until - IN_FLIGHT_WAIT_MS / 2)
        return this.finishSubmission(p, key, row.resource_ref);
      if (Date.now() > until)
        throw new ConflictException({
          code: 'IDEMPOTENCY_KEY_IN_FLIGHT',
          detail: 'the first request with this Idempotency-Key is still being processed',
        });
      await new Promise((r) => setTimeout(r, 100));
    }
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

  /** Starts the request's workflow unless it already runs. Also used by the reconciler. */
  async ensureWorkflowStarted(reference: string): Promise<void> {
    const [row] = await this.ds.query(
      `SELECT r.id, r.reference, r.title, r.member_state, r.region, r.origin, r.submitted_at, s.body
         FROM assistance_requests r JOIN request_submissions s ON s.request_id = r.id WHERE r.reference = $1`,
      [reference],
    );
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
      await this.temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
        this.temporal.client.workflow.start('assistanceRequestWorkflow', {
          taskQueue: this.temporal.taskQueue,
          workflowId: requestWorkflowId(reference),
          args: [{ request, deadlines: this.config.deadlines }],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        }),
      );
    } catch (err) {
      throw new ServiceUnavailableException({
        code: 'WORKFLOW_UNAVAILABLE',
        detail: 'the request is stored but its workflow could not be started yet; retry with the same Idempotency-Key',
        cause: err,
      });
    }
  }

  async list(p: Principal, q: ListRequestsQuery): Promise<{ items: RequestSummaryDto[]; nextCursor: string | null }> {
    const { sql, args, limit } = listRequestsSql(p, q);
    const raw = await this.ds.query(sql, args);
    const page = raw.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((x: Record<string, unknown>) => toSummary(fromRaw(x))),
      nextCursor: raw.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null,
    };
  }

  /**
   * The caller's work queue: open requests whose current stage its role owns (a focal point: its
   * own State's only), the nearest deadline first, keyset-paginated on (next_deadline_at, id).
   */
  async workQueue(p: Principal, q: WorkQueueQuery): Promise<{ items: RequestSummaryDto[]; nextCursor: string | null }> {
    const args: unknown[] = [p.role];
    const where = ['r.owner_role = $1', `r.stage <> 'closed'`];
    if (p.role === Role.MemberState) {
      args.push(p.memberState);
      where.push(`r.member_state = $${args.length}`);
    }
    if (q.overdue !== undefined) {
      args.push(q.overdue);
      where.push(`r.overdue = $${args.length}`);
    }
    if (q.cursor) {
      const { at, id } = decodeCursor(q.cursor, true);
      args.push(id);
      const idArg = `$${args.length}`;
      if (at === null) {
        where.push(`(r.next_deadline_at IS NULL AND r.id > ${idArg}::uuid)`);
      } else {
        args.push(at);
        const atArg = `$${args.length}::timestamptz`;
        where.push(
          `(r.next_deadline_at > ${atArg} OR (r.next_deadline_at = ${atArg} AND r.id > ${idArg}::uuid) OR r.next_deadline_at IS NULL)`,
        );
      }
    }
    const limit = q.limit ?? 25;
    args.push(limit + 1);
    const raw = await this.ds.query(
      `SELECT ${SUMMARY_COLUMNS}, ${SQL_UTC_MICROS('r.next_deadline_at')} AS cursor_at FROM assistance_requests r
        WHERE ${where.join(' AND ')} ORDER BY r.next_deadline_at ASC NULLS LAST, r.id ASC LIMIT $${args.length}`,
      args,
    );
    const page = raw.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((x: Record<string, unknown>) => toSummary(fromRaw(x))),
      nextCursor: raw.length > limit && last ? encodeCursor(last.cursor_at ?? null, last.id) : null,
    };
  }

  /** Loads a request the principal may see; anything else is "not found", so existence does not leak. */
  async findVisible(p: Principal, reference: string): Promise<AssistanceRequestEntity> {
    const row = await this.ds.getRepository(AssistanceRequestEntity).findOneBy({ reference });
    if (!row || (p.role === Role.MemberState && row.memberState.trim() !== p.memberState)) {
      throw new NotFoundException({ code: 'NOT_FOUND', detail: `request ${reference} not found` });
    }
    return row;
  }

  async get(p: Principal, reference: string): Promise<RequestDetailDto> {
    return this.detail(await this.findVisible(p, reference));
  }

  async detail(row: AssistanceRequestEntity): Promise<RequestDetailDto> {
    const events: EventRow[] = await this.ds.query(
      `SELECT seq, stream, type, occurred_at, actor_role, actor_member_state, payload FROM request_events
        WHERE request_id = $1 ORDER BY occurred_at, id`,
      [row.id],
    );
    return toDetail(row, events, row.state ? upcomingTimers(row.state, this.config.deadlines) : []);
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
    nextDeadlineAt: x.next_deadline_at as Date | null,
    nextDeadlineKind: x.next_deadline_kind as string | null,
    submittedAt: x.submitted_at as Date,
    linkedFrom: x.linked_from as string | null,
  } as AssistanceRequestEntity;
}
