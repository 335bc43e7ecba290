import { createHash } from 'crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface ChainedEvent {
  stream: string;
  seq: number;
  type: string;
  actorUserId: string;
  actorRole: string;
  actorMemberState: string | null;
  decisionId: string | null;
  occurredAt: string;
  payload: unknown;
}

export function eventHash(prevHash: string, e: ChainedEvent): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(e)}`)
    .digest('hex');
}

export interface ChainRow extends ChainedEvent {
  prevHash: string;
  hash: string;
}

export interface ChainVerdict {
  ok: boolean;
  events: number;
  firstBadSeq?: number;
  reason?: string;
}

/** Checks one stream's rows (ordered by seq): consecutive numbering, links and hashes. */
export function verifyChain(rows: ChainRow[]): ChainVerdict {
  let prev = GENESIS_HASH;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.seq !== i + 1)
      return { ok: false, events: rows.length, firstBadSeq: row.seq, reason: `expected seq ${i + 1}` };
    if (row.prevHash !== prev)
      return { ok: false, events: rows.length, firstBadSeq: row.seq, reason: 'broken link to previous event' };
    const { prevHash: _p, hash, ...event } = row;
    if (eventHash(prev, event) !== hash)
      return { ok: false, events: rows.length, firstBadSeq: row.seq, reason: 'event content does not match its hash' };
    prev = hash;
  }
  return { ok: true, events: rows.length };
}
