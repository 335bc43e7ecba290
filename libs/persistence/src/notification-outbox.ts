import type { EntityManager } from 'typeorm';
import type { PersistEventsInput } from '@app/contracts';
import { DomainEvent, RecipientSpec, RequestState, notificationsFor, routeByAssignment } from '@app/domain';

export interface StoredEvent {
  id: string;
  event: DomainEvent;
}

interface Target {
  requestId: string;
  reference: string;
  memberState: string;
  /** The request was submitted as urgent: its notifications say so. */
  urgent?: boolean;
  /** Each body's assignee as of these events: staff notifications go to them (assignment.ts). */
  assignees: RequestState['assignees'] | null;
}

/** Daily digests leave at this hour (UTC): one message a day with everything of that day. */
export const DIGEST_HOUR_UTC = 6;

/**
 * Writes, in the caller's transaction, what the newly stored events cause: in-app notifications,
 * e-mail outbox rows, and webhook deliveries. Unique keys make a retried write add nothing.
 */
export async function writeOutbox(tx: EntityManager, input: PersistEventsInput, stored: StoredEvent[]): Promise<void> {
  if (!stored.length) return;
  const targets = await withUrgency(tx, await withActiveAssignees(tx, await targetsOf(tx, input)));
  const stream = input.activity ? 'activity' : 'request';
  for (const { id, event } of stored) {
    for (const target of targets) {
      const intents = notificationsFor(event, { memberState: target.memberState, stream, urgent: target.urgent });
      for (const intent of routeByAssignment(intents, event, target.assignees)) {
        const params = { ...intent.params, ...(input.activity ? { activityKey: input.activity.key } : {}) };
        for (const spec of intent.recipients) {
          await writeForRecipients(tx, spec, target, { id, kind: intent.kind, params, actor: event.actor.userId });
        }
      }
    }
    await tx.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, request_id)
       SELECT s.id, $1, $2 FROM webhook_subscriptions s
        WHERE s.active AND ('*' = ANY(s.event_types) OR $3 = ANY(s.event_types))
          AND (s.member_state IS NULL OR s.member_state = ANY($4::char(3)[]))
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [id, input.requestId, event.type, targets.map((t) => t.memberState)],
    );
  }
}

/**
 * Every recipient is checked against the request's State: a focal point of another State can
 * never match, whatever the spec says.
 */
async function writeForRecipients(
  tx: EntityManager,
  spec: RecipientSpec,
  target: Target,
  n: { id: string; kind: string; params: Record<string, unknown>; actor: string },
): Promise<void> {
  const where =
    spec.kind === 'state'
      ? { sql: `u.role = 'member_state' AND u.member_state = $5`, arg: spec.memberState }
      : spec.kind === 'role'
        ? {
            // $9: the role told instead when `role` has no active user (spec.orElse).
            sql: `u.role <> 'member_state' AND (u.role = $5 OR (u.role = $9::text AND NOT EXISTS
                    (SELECT 1 FROM users s WHERE s.active AND s.role = $5)))`,
            arg: spec.role,
          }
        : { sql: `u.id::text = $5`, arg: spec.userId };
  const args: unknown[] = [
    n.id,
    target.requestId,
    target.reference,
    n.kind,
    where.arg,
    JSON.stringify(n.params),
    n.actor,
  ];
  const recipients = `SELECT u.id, COALESCE(p.mode, 'immediate') AS mode FROM users u
      LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = $4
     WHERE u.active AND ${where.sql} AND u.id::text <> $7
       AND (u.role <> 'member_state' OR u.member_state = $8)`;
  args.push(target.memberState);
  if (spec.kind === 'role') args.push(spec.orElse ?? null);
  await tx.query(
    `INSERT INTO notifications (event_id, user_id, request_id, reference, kind, params)
     SELECT $1, r.id, $2, $3, $4, $6::jsonb FROM (${recipients}) r
     ON CONFLICT (event_id, user_id) DO NOTHING`,
    args,
  );
  await tx.query(
    `INSERT INTO email_outbox (event_id, user_id, request_id, reference, kind, params, mode, next_attempt_at)
     SELECT $1, r.id, $2, $3, $4, $6::jsonb, r.mode,
            CASE WHEN r.mode = 'daily_digest' THEN
              date_trunc('day', now() AT TIME ZONE 'UTC' - interval '${DIGEST_HOUR_UTC} hours') AT TIME ZONE 'UTC'
                + interval '1 day ${DIGEST_HOUR_UTC} hours'
            ELSE now() END
       FROM (${recipients}) r WHERE r.mode <> 'off'
     ON CONFLICT (event_id, user_id) DO NOTHING`,
    args,
  );
}

/** The request(s) an event concerns: one, or every request still linked to a shared activity. */
async function targetsOf(tx: EntityManager, input: PersistEventsInput): Promise<Target[]> {
  const linked = input.activity?.linked?.filter((l) => l.active);
  if (linked?.length) {
    const held = await assigneesOf(
      tx,
      linked.map((l) => l.requestId),
    );
    return linked.map((l) => ({
      requestId: l.requestId,
      reference: l.reference,
      memberState: l.memberState,
      assignees: held.get(l.requestId) ?? null,
    }));
  }
  const st = input.snapshot?.state;
  if (st)
    return [
      {
        requestId: st.requestId,
        reference: st.reference,
        memberState: st.memberState,
        assignees: st.assignees ?? null,
      },
    ];
  const [row] = await tx.query(
    `SELECT reference, member_state, state -> 'assignees' AS assignees FROM assistance_requests WHERE id = $1`,
    [input.requestId],
  );
  if (!row) return [];
  return [
    {
      requestId: input.requestId,
      reference: row.reference,
      memberState: String(row.member_state).trim(),
      assignees: row.assignees ?? null,
    },
  ];
}

/**
 * An assignee who was deactivated (or moved to another role) since the assignment no longer holds
 * the request for notifications: the body's role and supervisors are told instead.
 */
async function withActiveAssignees(tx: EntityManager, targets: Target[]): Promise<Target[]> {
  const held = targets.flatMap((t) => Object.values(t.assignees ?? {}).filter((a) => a !== undefined));
  if (!held.length) return targets;
  const rows: { id: string; role: string }[] = await tx.query(
    'SELECT id::text AS id, role FROM users WHERE active AND id::text = ANY($1::text[])',
    [held.map((a) => a.userId)],
  );
  const active = new Set(rows.map((r) => `${r.id}/${r.role}`));
  return targets.map((t) => {
    const kept = Object.entries(t.assignees ?? {}).filter(([, a]) => a && active.has(`${a.userId}/${a.role}`));
    return { ...t, assignees: Object.fromEntries(kept) };
  });
}

/** The assignees of requests an activity serves, as their read model holds them. */
async function assigneesOf(tx: EntityManager, ids: string[]): Promise<Map<string, RequestState['assignees']>> {
  const rows: { id: string; assignees: RequestState['assignees'] | null }[] = await tx.query(
    `SELECT id, state -> 'assignees' AS assignees FROM assistance_requests WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.filter((r) => r.assignees).map((r) => [r.id, r.assignees ?? undefined]));
}

/** Marks the targets whose request was submitted as urgent (one indexed lookup by primary key). */
async function withUrgency(tx: EntityManager, targets: Target[]): Promise<Target[]> {
  if (!targets.length) return targets;
  const rows: { id: string }[] = await tx.query(
    'SELECT id FROM assistance_requests WHERE id = ANY($1::uuid[]) AND urgent',
    [targets.map((t) => t.requestId)],
  );
  const urgent = new Set(rows.map((r) => r.id));
  return targets.map((t) => ({ ...t, urgent: urgent.has(t.requestId) }));
}
