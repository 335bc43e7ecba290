import type { DataSource } from 'typeorm';
import { AssistanceRequestEntity } from '../entities/assistance-request.entity';
import { SqlQuery } from './sql';

/** A request as a list shows it, with its assignee's name and the keyset position of the row. */
export interface RequestSummaryRow {
  request: AssistanceRequestEntity;
  /** The display name of the user holding the request (`request.assigneeId`), if any. */
  assigneeName: string | null;
  /** The sort key as text (`cursor_at`: newest/oldest and work-queue orders). */
  cursorAt: string | null;
  /** The sort key values (`sort_key`: list-requests-sort.ts orders). */
  sortKey: (string | number | null)[] | null;
}

/** A new request, filed with its submission, its deadlines and the claim of its Idempotency-Key in one statement. */
export interface NewRequestRow {
  userId: string;
  key: string;
  bodyHash: string;
  id: string;
  memberState: string;
  thematicAreas: string[];
  origin: string;
  title: string;
  /** The submission as stored (request_submissions.body). */
  submission: Record<string, unknown>;
  /** The workflow id without the reference: the reference is appended in SQL once it is drawn. */
  workflowIdPrefix: string;
  /** How long to wait for a concurrent call holding the same key's claim. */
  lockTimeoutMs: number;
  urgent: boolean;
  /** The deadline configuration its workflow will run (the urgent row for an urgent request), fixed now. */
  deadlineConfig: unknown;
}

export type FileResult =
  | {
      filed: true;
      reference: string;
      /** What starting its workflow needs (the request as filed: no event stored yet). */
      start: WorkflowStartRow;
      /** The summary answered to the caller and stored with the claim for replays (RequestSummaryDto's shape). */
      response: Record<string, unknown>;
    }
  | { filed: false; why: 'key-claimed' | 'unknown-member-state' };

/** The claim of an Idempotency-Key and what the first call with it answered. */
export interface IdempotencyClaimRow {
  body_hash: string;
  resource_ref: string | null;
  response_status: number | null;
  response_body: unknown;
  /** The request's last stored event (0: its workflow has stored nothing yet); null without a request. */
  last_event_seq: number | null;
}

/** What starting a request's workflow needs, read as its deadline configuration is fixed. */
export interface WorkflowStartRow {
  id: string;
  reference: string;
  title: string;
  member_state: string;
  region: string;
  origin: AssistanceRequestEntity['origin'];
  submitted_at: Date;
  last_event_seq: number;
  deadline_config: unknown;
  /** The submission (request_submissions.body). */
  body: unknown;
}

/** An event of a request's history, with the actor's display name. */
export interface RequestHistoryRow {
  seq: number;
  stream: string;
  type: string;
  occurred_at: Date;
  actor_role: string;
  actor_member_state: string | null;
  actor_name: string | null;
  payload: Record<string, unknown>;
}

export const REQUEST_SQL = {
  /**
   * Claims the key, files the request with its submission and deadlines and records the response,
   * in one statement and one commit (migration FileRequestFunction: the function and its guarantees).
   */
  file: `SELECT outcome, id, reference, region, submitted_at, response
           FROM ctap_file_request($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
  claim: `SELECT k.body_hash, k.resource_ref, k.response_status, k.response_body, r.last_event_seq
            FROM idempotency_keys k LEFT JOIN assistance_requests r ON r.reference = k.resource_ref
           WHERE k.user_id = $1 AND k.key = $2`,
  takeOverOrphanClaim: `WITH taken AS (DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND resource_ref IS NULL
                                          AND created_at < now() - make_interval(secs => $3) RETURNING key)
                        SELECT key FROM taken`,
  recordResponse:
    'UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2 AND response_status IS NULL',
  /** $2: the routine deadlines, $3: the urgent ones (an urgent request's shorter deadlines). */
  fixDeadlines: `WITH fixed AS (
                   UPDATE assistance_requests r
                      SET deadline_config = COALESCE(r.deadline_config, CASE WHEN r.urgent THEN $3::jsonb ELSE $2::jsonb END)
                     FROM request_submissions s WHERE s.request_id = r.id AND r.reference = $1
                   RETURNING r.id, r.reference, r.title, r.member_state, r.region, r.origin, r.submitted_at, r.last_event_seq,
                             r.deadline_config, s.body)
                 SELECT * FROM fixed`,
  unstarted: `SELECT reference FROM assistance_requests WHERE last_event_seq = 0 AND created_at < now() - make_interval(secs => $1)
               ORDER BY created_at LIMIT $2`,
  history: `SELECT e.seq, e.stream, e.type, e.occurred_at, e.actor_role, e.actor_member_state, u.display_name AS actor_name, e.payload
              FROM request_events e LEFT JOIN users u ON u.id::text = e.actor_user_id
             WHERE e.request_id = $1 ORDER BY e.occurred_at, e.id`,
  followUps: 'SELECT reference, stage FROM assistance_requests WHERE linked_from = $1 ORDER BY reference',
  state: 'SELECT state FROM assistance_requests WHERE id = $1',
  decisionRecorded: 'SELECT 1 FROM request_events WHERE stream = $1 AND decision_id = $2 LIMIT 1',
  byReference: `SELECT id, reference, member_state, region, thematic_areas, origin, title, urgent, stage, outcome,
                       owner_role, assignee_id, overdue, next_deadline_at, next_deadline_kind, last_event_seq,
                       submitted_by, submitted_at, linked_from, workflow_id, state, deadline_config, created_at, updated_at
                  FROM assistance_requests WHERE reference = $1`,
} as const;

/** Assistance requests: filing (with its Idempotency-Key), look-ups, history and list pages. */
export class RequestRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Claims the key and files the request, in one statement and one commit: a refusal writes
   * nothing, so the key is never left claimed with nothing behind it. `key-claimed`: another call
   * holds (or held) the key. Waiting longer than `lockTimeoutMs` for that call throws Postgres' 55P03.
   */
  async file(r: NewRequestRow): Promise<FileResult> {
    const [row] = await this.ds.query(REQUEST_SQL.file, [
      r.userId,
      r.key,
      r.bodyHash,
      r.id,
      r.memberState,
      r.thematicAreas,
      r.origin,
      r.title,
      JSON.stringify(r.submission),
      r.workflowIdPrefix,
      r.urgent,
      JSON.stringify(r.deadlineConfig),
      Math.trunc(r.lockTimeoutMs),
    ]);
    if (row.outcome !== 'filed') return { filed: false, why: row.outcome };
    return {
      filed: true,
      reference: row.reference,
      start: {
        id: row.id,
        reference: row.reference,
        title: r.title,
        member_state: r.memberState,
        region: row.region,
        origin: r.origin as AssistanceRequestEntity['origin'],
        submitted_at: row.submitted_at,
        last_event_seq: 0,
        deadline_config: r.deadlineConfig,
        body: r.submission,
      },
      response: row.response,
    };
  }

  async claim(userId: string, key: string): Promise<IdempotencyClaimRow | undefined> {
    const [row] = await this.ds.query(REQUEST_SQL.claim, [userId, key]);
    return row;
  }

  /** Deletes a claim with no request behind it older than `olderThanSeconds`; true if it did. */
  async takeOverOrphanClaim(userId: string, key: string, olderThanSeconds: number): Promise<boolean> {
    return (await this.ds.query(REQUEST_SQL.takeOverOrphanClaim, [userId, key, olderThanSeconds])).length > 0;
  }

  /** Stores the first answer given for the key (replays return it); a later answer does not replace it. */
  async recordResponse(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.ds.query(REQUEST_SQL.recordResponse, [userId, key, status, JSON.stringify(body)]);
  }

  /**
   * Fixes the request's deadline configuration (once: an earlier one is kept), the urgent one for an
   * urgent request, and reads what its start needs.
   */
  async fixDeadlinesForStart(
    reference: string,
    deadlines: { routine: unknown; urgent: unknown },
  ): Promise<WorkflowStartRow | undefined> {
    const [row] = await this.ds.query(REQUEST_SQL.fixDeadlines, [
      reference,
      JSON.stringify(deadlines.routine),
      JSON.stringify(deadlines.urgent),
    ]);
    return row;
  }

  /** References of requests whose workflow has stored nothing yet, filed more than `olderThanSeconds` ago. */
  async unstarted(olderThanSeconds: number, limit = 100): Promise<string[]> {
    const rows: { reference: string }[] = await this.ds.query(REQUEST_SQL.unstarted, [olderThanSeconds, limit]);
    return rows.map((r) => r.reference);
  }

  /**
   * The whole row, as the entity. Plain SQL and a mapper rather than the repository's `findOneBy`:
   * every request page and decision reads it, and TypeORM's query building and hydration were the
   * API's largest own cost per decision in the bench's CPU profile (docs/PERFORMANCE.md).
   */
  async byReference(reference: string): Promise<AssistanceRequestEntity | null> {
    const [row] = await this.ds.query(REQUEST_SQL.byReference, [reference]);
    return row ? requestEntity(row) : null;
  }

  /** The current workflow state, re-read (for read-your-write waits). */
  async state(requestId: string): Promise<AssistanceRequestEntity['state'] | undefined> {
    const [row] = await this.ds.query(REQUEST_SQL.state, [requestId]);
    return row?.state;
  }

  history(requestId: string): Promise<RequestHistoryRow[]> {
    return this.ds.query(REQUEST_SQL.history, [requestId]);
  }

  /** Requests opened as follow-ups of this one. */
  followUps(reference: string): Promise<{ reference: string; stage: string }[]> {
    return this.ds.query(REQUEST_SQL.followUps, [reference]);
  }

  /** Whether a decision with this id is already recorded on the stream (a request's or a delivery activity's). */
  async decisionRecorded(stream: string, decisionId: string): Promise<boolean> {
    return (await this.ds.query(REQUEST_SQL.decisionRecorded, [stream, decisionId])).length > 0;
  }

  /** Counts per stage of a work queue (apps/api/src/requests/work-queue.sql.ts, workQueueCountsSql). */
  stageCounts(q: SqlQuery): Promise<{ stage: string; count: number; overdue: number }[]> {
    return this.ds.query(q.sql, q.args);
  }

  /**
   * A page of summaries from a list query (apps/api/src/requests/list-requests.sql.ts,
   * work-queue.sql.ts): rows of their SUMMARY_COLUMNS and ASSIGNEE_COLUMNS plus `cursor_at` or `sort_key`.
   */
  async summaries(q: SqlQuery): Promise<RequestSummaryRow[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(q.sql, q.args);
    return rows.map((x) => ({
      request: summaryEntity(x),
      assigneeName: (x.assignee_name as string | null) ?? null,
      cursorAt: (x.cursor_at as string | null) ?? null,
      sortKey: (x.sort_key as (string | number | null)[] | null) ?? null,
    }));
  }
}

function requestEntity(x: Record<string, unknown>): AssistanceRequestEntity {
  return {
    ...summaryEntity(x),
    lastEventSeq: x.last_event_seq as number,
    submittedBy: x.submitted_by as string | null,
    workflowId: x.workflow_id as string,
    state: x.state as AssistanceRequestEntity['state'],
    deadlineConfig: x.deadline_config as AssistanceRequestEntity['deadlineConfig'],
    createdAt: x.created_at as Date,
    updatedAt: x.updated_at as Date,
  };
}

function summaryEntity(x: Record<string, unknown>): AssistanceRequestEntity {
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
