import { PrincipalCache } from './principal-cache';

type Row = { role: string; ok: boolean };

describe('PrincipalCache (the access guard reads a principal at most once per TTL)', () => {
  let now = 0;
  let reads = 0;
  let db: Row;
  const cache = () => new PrincipalCache<Row>(2_000, 3, () => now);
  const load = () => async () => {
    reads++;
    return { ...db };
  };
  const keep = (r: Row) => r.ok;

  beforeEach(() => {
    now = 0;
    reads = 0;
    db = { role: 'cted_officer', ok: true };
  });

  it('answers from memory within the TTL and reads again after it', async () => {
    const c = cache();
    await c.get('u1', 's1', load(), keep);
    now = 1_999;
    expect(await c.get('u1', 's1', load(), keep)).toEqual({ role: 'cted_officer', ok: true });
    expect(reads).toBe(1);
    db.role = 'admin';
    now = 2_000;
    expect((await c.get('u1', 's1', load(), keep))!.role).toBe('admin');
    expect(reads).toBe(2);
  });

  it('keeps no refusal: a deactivated user or an ended session is read on every call', async () => {
    const c = cache();
    db.ok = false;
    await c.get('u1', 's1', load(), keep);
    await c.get('u1', 's1', load(), keep);
    expect(reads).toBe(2);
  });

  it('forgets a user (role change, deactivation) and a session (sign-out, revocation) at once', async () => {
    const c = cache();
    await c.get('u1', 's1', load(), keep);
    await c.get('u1', 's2', load(), keep);
    await c.get('u2', 's3', load(), keep);
    c.forgetUser('u1');
    c.forgetSession('s3');
    db.ok = false;
    expect(await c.get('u1', 's1', load(), keep)).toEqual({ role: 'cted_officer', ok: false });
    expect(await c.get('u1', 's2', load(), keep)).toEqual({ role: 'cted_officer', ok: false });
    expect(await c.get('u2', 's3', load(), keep)).toEqual({ role: 'cted_officer', ok: false });
    expect(reads).toBe(6);
  });

  it('does not keep a read that was in flight while an entry was forgotten', async () => {
    const c = cache();
    let release!: () => void;
    const slow = async () => {
      reads++;
      const row = { ...db };
      await new Promise<void>((r) => (release = r));
      return row;
    };
    const inFlight = c.get('u1', 's1', slow, keep);
    // The deactivation commits while the read above holds the old row.
    db.ok = false;
    c.forgetUser('u1');
    release();
    expect((await inFlight)!.ok).toBe(true);
    expect((await c.get('u1', 's1', load(), keep))!.ok).toBe(false);
    expect(reads).toBe(2);
  });

  it('holds at most maxEntries entries (the oldest goes first)', async () => {
    const c = cache();
    for (const u of ['u1', 'u2', 'u3', 'u4']) await c.get(u, null, load(), keep);
    expect(reads).toBe(4);
    await c.get('u4', null, load(), keep);
    await c.get('u2', null, load(), keep);
    expect(reads).toBe(4);
    await c.get('u1', null, load(), keep);
    expect(reads).toBe(5);
  });
});
