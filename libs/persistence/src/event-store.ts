import type { DataSource, EntityManager } from 'typeorm';
import { activityRef, requestWorkflowId } from '@app/contracts';
import type { PersistEventsInput } from '@app/contracts';
import { ChainRow, ChainVerdict, GENESIS_HASH, eventHash, verifyChain } from './event-chain';
import { StoredEvent, writeOutbox } from './notification-outbox';

/**
 * Writes a batch of workflow events and the read model in one transaction. Safe to call any
 * number of times with the same input: rows are keyed by (stream, seq), and the read model only
 * moves forward.
 */
export class EventStore {
  constructor(private readonly ds: DataSource) {}

  async persist(input: PersistEventsInput): Promise<{ inserted: number }> {
    return this.ds.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [input.stream]);
      let prevHash = GENESIS_HASH;
      if (input.firstSeq > 1) {
        const [prev] = await tx.query('SELECT hash FROM request_events WHERE stream = $1 AND seq = $2', [
          input.stream,
          input.firstSeq - 1,
        ]);
        if (!prev)
          throw new Error(`event ${input.firstSeq - 1} of ${input.stream} is missing; refusing to leave a gap`);
        prevHash = prev.hash;
      }
      let inserted = 0;
      const stored: StoredEvent[] = [];
      for (const [i, e] of input.events.entries()) {
        const row = {
          stream: input.stream,
          seq: input.firstSeq + i,
          type: e.type,
          actorUserId: e.actor.userId,
          actorRole: e.actor.role,
          actorMemberState: e.actor.memberState ?? null,
          decisionId: e.decisionId ?? null,
          occurredAt: e.at,
          payload: e.payload ?? {},
        };
        const hash = eventHash(prevHash, row);
        const result = await tx.query(
          `INSERT INTO request_events (request_id, stream, seq, type, actor_user_id, actor_role, actor_member_state, decision_id, occurred_at, payload, prev_hash, hash)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (stream, seq) DO NOTHING RETURNING id`,
          [
            input.requestId,
            row.stream,
            row.seq,
            row.type,
            row.actorUserId,
            row.actorRole,
            row.actorMemberState,
            row.decisionId,
            row.occurredAt,
            JSON.stringify(row.payload),
            prevHash,
            hash,
          ],
        );
        if (result.length) {
          inserted++;
          stored.push({ id: String(result[0].id), event: e });
        } else await this.assertSameEvent(tx, row.stream, row.seq, hash);
        prevHash = hash;
      }
      const lastSeq = input.firstSeq + input.events.length - 1;
      if (input.snapshot) await this.writeRequest(tx, input, lastSeq);
      if (input.activity) await this.writeActivity(tx, input, lastSeq);
      // Notifications, e-mail and webhooks of the events stored now, in this same transaction.
      await writeOutbox(tx, input, stored);
      return { inserted };
    });
  }

  /** A replayed batch must match what was stored; anything else is a determinism bug worth failing loudly on. */
  private async assertSameEvent(tx: EntityManager, stream: string, seq: number, hash: string): Promise<void> {
    const [existing] = await tx.query('SELECT hash FROM request_events WHERE stream = $1 AND seq = $2', [stream, seq]);
    if (existing?.hash !== hash) throw new Error(`event ${seq} of ${stream} differs from the stored one`);
  }

  private async writeRequest(tx: EntityManager, input: PersistEventsInput, lastSeq: number): Promise<void> {
    const s = input.snapshot!;
    const st = s.state;
    await tx.query(
      `INSERT INTO assistance_requests AS r (id, reference, member_state, region, thematic_areas, origin, title, stage, outcome, owner_role, overdue,
         next_deadline_at, next_deadline_kind, last_event_seq, submitted_at, linked_from, workflow_id, state, deadline_config, assignee_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)
       ON CONFLICT (id) DO UPDATE SET stage = EXCLUDED.stage, outcome = EXCLUDED.outcome, owner_role = EXCLUDED.owner_role,
         assignee_id = EXCLUDED.assignee_id,
         overdue = EXCLUDED.overdue, next_deadline_at = EXCLUDED.next_deadline_at, next_deadline_kind = EXCLUDED.next_deadline_kind,
         thematic_areas = EXCLUDED.thematic_areas, last_event_seq = EXCLUDED.last_event_seq, state = EXCLUDED.state,
         deadline_config = COALESCE(EXCLUDED.deadline_config, r.deadline_config), updated_at = now()
       WHERE r.last_event_seq < EXCLUDED.last_event_seq`,
      [
        st.requestId,
        st.reference,
        st.memberState,
        st.region,
        st.thematicAreas,
        st.origin,
        st.title.slice(0, 200),
        s.stage,
        s.outcome ?? null,
        s.ownerRole,
        s.overdue,
        s.nextDeadlineAt,
        s.nextDeadlineKind,
        lastSeq,
        new Date(st.stageEnteredAt).toISOString(),
        st.linkedFrom ?? null,
        requestWorkflowId(st.reference),
        JSON.stringify(st),
        s.deadlines ? JSON.stringify(s.deadlines) : null,
        s.assigneeId ?? null,
      ],
    );
  }

  /**
   * One row per request the activity serves: an ordinary activity has one (its request); a shared
   * activity one per linked request (its own key and reference), all with the same activity_ref, so
   * each request lists it and reports count it once. A request that left it (withdrawn) keeps its
   * row, shown as cancelled for that request.
   */
  private async writeActivity(tx: EntityManager, input: PersistEventsInput, lastSeq: number): Promise<void> {
    const a = input.activity!;
    const ref = activityRef(a.reference, a.key, a.sharedKey);
    const rows = a.linked?.length
      ? a.linked
      : [{ requestId: a.requestId, key: a.key, reference: a.reference, active: true }];
    for (const row of rows) {
      const status = row.active ? a.status : 'cancelled';
      const report = row.active && a.report ? JSON.stringify(a.report) : null;
      await tx.query(
        `INSERT INTO delivery_activities AS d (request_id, key, reference, activity_ref, status, start_date, end_date, place, reschedules, report, last_event_seq)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
         ON CONFLICT (request_id, key) DO UPDATE SET status = EXCLUDED.status, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
           place = EXCLUDED.place, reschedules = EXCLUDED.reschedules, report = EXCLUDED.report, last_event_seq = EXCLUDED.last_event_seq, updated_at = now()
         WHERE d.last_event_seq < EXCLUDED.last_event_seq`,
        [
          row.requestId,
          row.key,
          row.reference,
          ref,
          status,
          a.startDate,
          a.endDate,
          a.place,
          a.reschedules,
          report,
          lastSeq,
        ],
      );
    }
  }

  /** Verifies every stream of a request. */
  async verify(requestId: string): Promise<Record<string, ChainVerdict>> {
    const rows: (ChainRow & { stream: string })[] = await this.ds.query(
      `SELECT stream, seq, type, actor_user_id AS "actorUserId", actor_role AS "actorRole", actor_member_state AS "actorMemberState",
              decision_id AS "decisionId", occurred_at AS "occurredAt", payload, prev_hash AS "prevHash", hash
         FROM request_events WHERE request_id = $1 ORDER BY stream, seq`,
      [requestId],
    );
    const byStream = new Map<string, ChainRow[]>();
    for (const r of rows) {
      const row = {
        ...r,
        actorMemberState: r.actorMemberState?.trim() ?? null,
        occurredAt: new Date(r.occurredAt).toISOString(),
      };
      byStream.set(r.stream, [...(byStream.get(r.stream) ?? []), row]);
    }
    return Object.fromEntries([...byStream].map(([stream, list]) => [stream, verifyChain(list)]));
  }
}
