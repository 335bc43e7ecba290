import { ACCOUNTS, actors, kenyanRequest, unique, waitFor } from './api-fixtures';
import { useStack } from './support/test-stack';

jest.setTimeout(120_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

const CSRF = { 'X-CTAP-CSRF': '1' };

/** The ctap_refresh cookie a response sets, as `name=value`, with its attributes. */
function refreshCookie(res: { headers: Record<string, unknown> }): { pair: string; attrs: string } {
  const all = ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  const line = all.find((c) => c.startsWith('ctap_refresh='));
  if (!line) throw new Error(`no ctap_refresh cookie in ${JSON.stringify(all)}`);
  return { pair: line.split(';')[0], attrs: line };
}

describe('Browser sessions, profile, reference data and what a request page needs', () => {
  const stack = useStack('api-sessions');
  const a = actors(stack);

  async function signIn(email: string, password: string) {
    const res = await stack.http.post('/api/v1/auth/session').send({ email, password });
    expect(res.status).toBe(200);
    return { token: res.body.accessToken as string, cookie: refreshCookie(res), body: res.body };
  }

  async function newUser(role = 'cted_officer', memberState?: string) {
    const email = `${unique('sess')}@ctap.local`;
    const password = 'Session-Test-Pass-2026!';
    const created = await a.admin.post('/api/v1/users', {
      email,
      displayName: 'Session Tester',
      password,
      role,
      ...(memberState ? { memberState } : {}),
    });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, email, password };
  }

  it('signs in with a short-lived token and a HttpOnly, Secure, SameSite=Strict refresh cookie scoped to the session route', async () => {
    const s = await signIn(ACCOUNTS.kenya, 'Focal-Point-2026!');
    expect(s.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 300,
      user: { email: ACCOUNTS.kenya, role: 'member_state', memberState: 'KEN' },
    });
    expect(s.body.user).toHaveProperty('preferredLanguage');
    expect(s.cookie.attrs).toMatch(/HttpOnly/i);
    expect(s.cookie.attrs).toMatch(/Secure/i);
    expect(s.cookie.attrs).toMatch(/SameSite=Strict/i);
    expect(s.cookie.attrs).toMatch(/Path=\/api\/v1\/auth\/session(;|$)/);
    const me = await stack.http.get('/api/v1/me').set('Authorization', `Bearer ${s.token}`);
    expect(me.status).toBe(200);
    expect(me.body.displayName).toBeTruthy();

    const wrong = await stack.http.post('/api/v1/auth/session').send({ email: ACCOUNTS.kenya, password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('rotates the refresh cookie on use, and revokes the session when an old cookie is replayed', async () => {
    const s = await signIn(ACCOUNTS.cted, 'Cted-Officer-2026!');
    const noHeader = await stack.http.post('/api/v1/auth/session/refresh').set('Cookie', s.cookie.pair);
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.code).toBe('CSRF_HEADER_REQUIRED');

    const first = await stack.http.post('/api/v1/auth/session/refresh').set(CSRF).set('Cookie', s.cookie.pair);
    expect(first.status).toBe(200);
    const rotated = refreshCookie(first);
    expect(rotated.pair).not.toBe(s.cookie.pair);
    expect((await stack.http.get('/api/v1/me').set('Authorization', `Bearer ${first.body.accessToken}`)).status).toBe(
      200,
    );

    // The first cookie again, after the grace period: someone holds a copy, so the whole session
    // ends, the new cookie too.
    const id = s.cookie.pair.split('=')[1].split('.')[0];
    await stack.ds.query(`UPDATE user_sessions SET rotated_at = now() - interval '11 seconds' WHERE id = $1`, [id]);
    const replay = await stack.http.post('/api/v1/auth/session/refresh').set(CSRF).set('Cookie', s.cookie.pair);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('SESSION_ENDED');
    const after = await stack.http.post('/api/v1/auth/session/refresh').set(CSRF).set('Cookie', rotated.pair);
    expect(after.status).toBe(401);
    const token = await stack.http.get('/api/v1/me').set('Authorization', `Bearer ${first.body.accessToken}`);
    expect(token.status).toBe(401);
  });

  it('answers a refresh whose answer was lost (page reloaded, two tabs) with the current cookie, within 10 s only', async () => {
    const s = await signIn(ACCOUNTS.cted, 'Cted-Officer-2026!');
    const id = s.cookie.pair.split('=')[1].split('.')[0];
    const refresh = (cookie: string) => stack.http.post('/api/v1/auth/session/refresh').set(CSRF).set('Cookie', cookie);

    // Two refreshes with the same cookie at once (two tabs): both get the one new cookie.
    const [one, two] = await Promise.all([refresh(s.cookie.pair), refresh(s.cookie.pair)]);
    expect([one.status, two.status]).toEqual([200, 200]);
    const rotated = refreshCookie(one).pair;
    expect(rotated).not.toBe(s.cookie.pair);
    expect(refreshCookie(two).pair).toBe(rotated);
    // The answer to the first never reached the browser: it sends the old cookie again.
    const lost = await refresh(s.cookie.pair);
    expect(lost.status).toBe(200);
    expect(refreshCookie(lost).pair).toBe(rotated);
    expect((await stack.http.get('/api/v1/me').set('Authorization', `Bearer ${lost.body.accessToken}`)).status).toBe(
      200,
    );
    // A cookie with anything appended is no cookie of ours: refused, and the session goes on.
    expect((await refresh(`${rotated}.extra`)).status).toBe(401);
    // Only the secret just replaced is honoured: one rotation on, the first cookie ends the session.
    const next = await refresh(rotated);
    expect(next.status).toBe(200);
    const [row] = await stack.ds.query('SELECT revoked_at FROM user_sessions WHERE id = $1', [id]);
    expect(row.revoked_at).toBeNull();
    const stale = await refresh(s.cookie.pair);
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe('SESSION_ENDED');
    const [revoked] = await stack.ds.query('SELECT revoked_reason FROM user_sessions WHERE id = $1', [id]);
    expect(revoked.revoked_reason).toBe('refresh_token_reused');
    expect((await refresh(refreshCookie(next).pair)).status).toBe(401);
  });

  it('signing out revokes the session and its access token at once', async () => {
    const s = await signIn(ACCOUNTS.unodc, 'Unodc-Manager-2026!');
    const out = await stack.http.delete('/api/v1/auth/session').set(CSRF).set('Cookie', s.cookie.pair);
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/ctap_refresh=;/);
    expect((await stack.http.get('/api/v1/me').set('Authorization', `Bearer ${s.token}`)).status).toBe(401);
    const refresh = await stack.http.post('/api/v1/auth/session/refresh').set(CSRF).set('Cookie', s.cookie.pair);
    expect(refresh.status).toBe(401);
  });

  it('ends the session after the idle timeout', async () => {
    const s = await signIn(ACCOUNTS.indonesia, 'Focal-Point-2026!');
    const id = s.cookie.pair.split('=')[1].split('.')[0];
    await stack.ds.query(`UPDATE user_sessions SET last_used_at = now() - interval '31 minutes' WHERE id = $1`, [id]);
    const refresh = await stack.http.post('/api/v1/auth/session/refresh').set(CSRF).set('Cookie', s.cookie.pair);
    expect(refresh.status).toBe(401);
    const [row] = await stack.ds.query('SELECT revoked_reason FROM user_sessions WHERE id = $1', [id]);
    expect(row.revoked_reason).toBe('idle');
  });

  it('reads role and State from the database on each call: a role change and a deactivation apply at once', async () => {
    const u = await newUser('member_state', 'KEN');
    const s = await signIn(u.email, u.password);
    const auth = { Authorization: `Bearer ${s.token}` };
    expect((await stack.http.get('/api/v1/work-queue').set(auth)).status).toBe(200);
    expect((await stack.http.get('/api/v1/users').set(auth)).status).toBe(403);

    const changed = await a.admin.patch(`/api/v1/users/${u.id}`, { role: 'admin' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ role: 'admin', memberState: null });
    expect((await stack.http.get('/api/v1/users').set(auth)).status).toBe(200);
    expect((await stack.http.get('/api/v1/work-queue').set(auth)).status).toBe(403);

    const badState = await a.admin.patch(`/api/v1/users/${u.id}`, { role: 'member_state' });
    expect(badState.status).toBe(400);
    expect(badState.body.errors.map((e: { field: string }) => e.field)).toContain('memberState');

    expect((await a.admin.post(`/api/v1/users/${u.id}/actions/deactivate`, {})).status).toBe(200);
    expect((await stack.http.get('/api/v1/users').set(auth)).status).toBe(401);
    const refresh = await stack.http.post('/api/v1/auth/session/refresh').set(CSRF).set('Cookie', s.cookie.pair);
    expect(refresh.status).toBe(401);
  });

  it('a change made outside this API process (another process, SQL) applies within 2 seconds', async () => {
    const u = await newUser('member_state', 'KEN');
    const s = await signIn(u.email, u.password);
    const auth = { Authorization: `Bearer ${s.token}` };
    expect((await stack.http.get('/api/v1/work-queue').set(auth)).status).toBe(200);
    await stack.ds.query('UPDATE users SET active = false WHERE id = $1', [u.id]);
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await stack.http.get('/api/v1/work-queue').set(auth)).status).toBe(401);
  });

  it("keeps the user's language and refuses one CTAP does not speak", async () => {
    const u = await newUser();
    const s = await signIn(u.email, u.password);
    const auth = { Authorization: `Bearer ${s.token}` };
    const set = await stack.http.patch('/api/v1/me').set(auth).send({ preferredLanguage: 'ar' });
    expect(set.status).toBe(200);
    expect(set.body.preferredLanguage).toBe('ar');
    expect((await signIn(u.email, u.password)).body.user.preferredLanguage).toBe('ar');
    const bad = await stack.http.patch('/api/v1/me').set(auth).send({ preferredLanguage: 'de' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('preferredLanguage');
    const reset = await stack.http.patch('/api/v1/me').set(auth).send({ preferredLanguage: null });
    expect(reset.body.preferredLanguage).toBeNull();
  });

  it('serves the reference data for pickers', async () => {
    const res = await a.kenya.get('/api/v1/reference-data');
    expect(res.status).toBe(200);
    expect(res.body.memberStates).toHaveLength(193);
    expect(res.body.memberStates.find((s: { iso3: string }) => s.iso3 === 'KEN')).toMatchObject({
      iso2: 'KE',
      name: 'Kenya',
      region: 'Africa',
    });
    expect(res.body.thematicAreas).toHaveLength(14);
    expect(res.body.modalities).toHaveLength(16);
    expect(res.body.instruments).toHaveLength(19);
    expect(res.body.partners).toHaveLength(68);
    expect(res.body.donors.length).toBeGreaterThan(20);
    expect(res.body.regions.map((r: { name: string }) => r.name)).toContain('Africa');
    // The delivery report's professions, the keys its officialsTrainedByProfession accepts.
    expect(res.body.professions).toEqual(expect.arrayContaining(['judge', 'prosecutor', 'financial_intelligence']));
    expect(res.body.professions).toHaveLength(10);
  });

  it("lists the caller's allowed decisions and names who acted on each timeline event", async () => {
    const submitted = await a.kenya.submit(kenyanRequest());
    const ref: string = submitted.body.reference;
    const detail = (actor: 'kenya' | 'cted' | 'unodc' | 'indonesia') =>
      waitFor('the submitted event', async () => {
        const res = await a[actor].get(`/api/v1/requests/${ref}`);
        return res.status === 404 || res.body.timeline?.length ? res : undefined;
      });
    const cted = (await detail('cted')).body;
    expect(cted.allowedActions.sort()).toEqual(['claim', 'decline', 'refer_needs', 'request_information']);
    expect(cted.clockStopped).toBe(false);
    expect(cted.timeline[0]).toMatchObject({ type: 'submitted', actorRole: 'system', actorName: null });
    expect((await detail('kenya')).body.allowedActions).toEqual(['withdraw']);
    expect((await detail('unodc')).body.allowedActions).toEqual([]);
    expect((await detail('indonesia')).status).toBe(404);

    const asked = await a.cted.decide(ref, 'request-information', { questions: ['Which ministry?'] });
    expect(asked.body.clockStopped).toBe(true);
    const [{ display_name }] = await stack.ds.query('SELECT display_name FROM users WHERE email = $1', [ACCOUNTS.cted]);
    expect(asked.body.timeline.find((e: { type: string }) => e.type === 'request_information')).toMatchObject({
      actorRole: 'cted_officer',
      actorName: display_name,
    });
    // Waiting on the State: CTED has no decision to take, but an officer may still take the request on.
    expect(asked.body.allowedActions).toEqual(['claim']);
    const kenya = (await a.kenya.get(`/api/v1/requests/${ref}`)).body;
    expect(kenya.allowedActions.sort()).toEqual(['provide_information', 'withdraw']);
  });
});

describe('Browser sessions with SESSION_REFRESH_GRACE_SECONDS=0 (strict rotation)', () => {
  const stack = useStack('api-sessions-strict', { worker: false, env: { SESSION_REFRESH_GRACE_SECONDS: '0' } });

  it('revokes the session on any replaced cookie, even one sent at the same moment as its rotation', async () => {
    const signIn = () =>
      stack.http.post('/api/v1/auth/session').send({ email: ACCOUNTS.cted, password: 'Cted-Officer-2026!' });
    const refresh = (cookie: string) => stack.http.post('/api/v1/auth/session/refresh').set(CSRF).set('Cookie', cookie);

    const first = refreshCookie(await signIn()).pair;
    const rotated = await refresh(first);
    expect(rotated.status).toBe(200);
    expect((await refresh(first)).status).toBe(401);
    expect((await refresh(refreshCookie(rotated).pair)).status).toBe(401);

    // Four refreshes at once with one cookie: the first rotates, every other one is a replay.
    const cookie = refreshCookie(await signIn()).pair;
    const id = cookie.split('=')[1].split('.')[0];
    const statuses = (await Promise.all([1, 2, 3, 4].map(() => refresh(cookie)))).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401, 401, 401]);
    const [row] = await stack.ds.query('SELECT revoked_reason FROM user_sessions WHERE id = $1', [id]);
    expect(row.revoked_reason).toBe('refresh_token_reused');
  });
});
