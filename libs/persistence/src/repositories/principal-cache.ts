/**
 * What the access guard reads on every authenticated call (role, State, activity, whether the
 * token's session is still open), kept for at most `ttlMs` per (user, session) so that a burst of
 * calls with one token does not cost a Postgres round trip each.
 *
 * Why revocation stays correct:
 * - every write that can change the answer goes through the repositories (UserRepository
 *   changeRole/deactivate, SessionRepository signOut and the rotation's revocations), and each
 *   forgets the entries it touches once its write has committed, so the process that made the
 *   change refuses the token from its very next call;
 * - a read that was in flight while such a write committed is not kept (an epoch counter is
 *   bumped by every forget; a read only stores its row if the epoch did not move meanwhile);
 * - only answers that let the call through are kept: a refusal is read again each time;
 * - any other writer (another API process, an operator's SQL) is seen within `ttlMs` at most.
 */
export class PrincipalCache<Row> {
  private readonly entries = new Map<string, { row: Row; userId: string; sid: string | null; until: number }>();
  private epoch = 0;

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The kept row, or a read through `load` (kept if `keep(row)` and nothing was forgotten meanwhile). */
  async get(
    userId: string,
    sid: string | null,
    load: () => Promise<Row | undefined>,
    keep: (row: Row) => boolean,
  ): Promise<Row | undefined> {
    const key = `${userId}|${sid ?? ''}`;
    const hit = this.entries.get(key);
    const now = this.now();
    if (hit && hit.until > now) return hit.row;
    if (hit) this.entries.delete(key);
    const epoch = this.epoch;
    const row = await load();
    if (row && this.ttlMs > 0 && epoch === this.epoch && keep(row)) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { row, userId, sid, until: now + this.ttlMs });
    }
    return row;
  }

  /** Forgets every entry of this user (a role change, a deactivation). Call after the write has committed. */
  forgetUser(userId: string): void {
    this.epoch++;
    for (const [key, e] of this.entries) if (e.userId === userId) this.entries.delete(key);
  }

  /** Forgets the entries naming this session (a sign-out, a revocation). Call after the write has committed. */
  forgetSession(sid: string): void {
    this.epoch++;
    for (const [key, e] of this.entries) if (e.sid === sid) this.entries.delete(key);
  }
}

/** How long the access guard may rely on a principal it has read (see PrincipalCache). */
const PRINCIPAL_TTL_MS = 2_000;

const caches = new WeakMap<object, PrincipalCache<never>>();

/** The one cache of a data source, shared by the repositories built on it (the reads and the writes that invalidate). */
export function principalCacheOf<Row>(ds: object): PrincipalCache<Row> {
  let cache = caches.get(ds);
  if (!cache) {
    cache = new PrincipalCache<never>(PRINCIPAL_TTL_MS);
    caches.set(ds, cache);
  }
  return cache as unknown as PrincipalCache<Row>;
}
