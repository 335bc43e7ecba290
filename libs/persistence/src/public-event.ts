/**
 * The form in which events leave CTAP (webhooks and the pull feed): CloudEvents 1.0, carrying codes
 * and references only. Free text a State or an officer wrote (questions, answers, reasons, notes,
 * needs, titles, places, evaluation comments) and money never leaves: a subscriber sees that
 * something happened to which request, not what anyone said.
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Position of the event in its stream (CloudEvents sequence extension). */
  sequence: string;
  data: Record<string, unknown>;
}

/** Payload fields that are codes, dates or references, copied as they are. */
const CODE_FIELDS = [
  'stage',
  'from',
  'to',
  'outcome',
  'owner',
  'reminder',
  'waitingFor',
  'planVersion',
  'startDate',
  'endDate',
  'key',
  'status',
  'sharedKey',
  'origin',
  'linkedFrom',
] as const;

export interface StoredEventRow {
  id: string;
  request_id: string;
  reference: string | null;
  member_state: string | null;
  stream: string;
  seq: number;
  type: string;
  actor_role: string;
  decision_id: string | null;
  occurred_at: Date | string;
  payload: Record<string, unknown>;
}

/** SELECT list producing StoredEventRow from request_events e LEFT JOIN assistance_requests r. */
export const STORED_EVENT_COLUMNS = `e.id::text AS id, e.request_id, r.reference, r.member_state, e.stream, e.seq, e.type,
  e.actor_role, e.decision_id, e.occurred_at, e.payload`;

export const CLOUD_EVENT_TYPE_PREFIX = 'org.un.ctap.';

export function toCloudEvent(row: StoredEventRow): CloudEvent {
  const data: Record<string, unknown> = {
    eventId: row.id,
    requestId: row.request_id,
    reference: row.reference,
    memberState: row.member_state?.trim() ?? null,
    stream: row.stream,
    seq: row.seq,
    eventType: row.type,
    actorRole: row.actor_role,
    decisionId: row.decision_id,
  };
  const payload = row.payload ?? {};
  for (const field of CODE_FIELDS) {
    const v = payload[field];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') data[field] = v;
  }
  return {
    specversion: '1.0',
    id: row.id,
    source: `/ctap/requests/${row.reference ?? row.request_id}`,
    type: `${CLOUD_EVENT_TYPE_PREFIX}${row.type}`,
    subject: row.reference ?? row.request_id,
    time: new Date(row.occurred_at).toISOString(),
    datacontenttype: 'application/json',
    sequence: String(row.seq),
    data,
  };
}
