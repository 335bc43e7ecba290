import { actors, unique } from './api-fixtures';
import { useStack } from './support/test-stack';

jest.setTimeout(60_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

describe('API users administration (admin only)', () => {
  const stack = useStack('api-users', { worker: false });
  const a = actors(stack);

  const login = (email: string, password: string) => stack.http.post('/api/v1/auth/token').send({ email, password });

  it('creates an account with an argon2id hash and never returns the hash', async () => {
    const email = `${unique('Focal.UGA')}@CTAP.local`;
    const password = 'Uganda-Focal-Point-2026!';
    const created = await a.admin.post('/api/v1/users', {
      email,
      displayName: 'Uganda focal point',
      password,
      role: 'member_state',
      memberState: 'UGA',
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual([
      'active',
      'createdAt',
      'displayName',
      'email',
      'id',
      'memberState',
      'role',
    ]);
    expect(created.body).toMatchObject({
      email: email.toLowerCase(),
      role: 'member_state',
      memberState: 'UGA',
      active: true,
    });
    expect(created.text).not.toMatch(/argon2|password/i);

    const [row] = await stack.ds.query('SELECT password_hash FROM users WHERE id = $1', [created.body.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);

    const token = await login(email, password);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ role: 'member_state', memberState: 'UGA' });

    const duplicate = await a.admin.post('/api/v1/users', {
      email: email.toUpperCase(),
      displayName: 'Again',
      password,
      role: 'cted_officer',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      code: 'EMAIL_TAKEN',
      errors: [{ field: 'email', reason: 'already taken' }],
    });
  });

  it('lists accounts page by page without hashes, filtered by role', async () => {
    const marker = unique('list');
    for (let i = 0; i < 3; i++) {
      expect(
        (
          await a.admin.post('/api/v1/users', {
            email: `${marker}-${i}@ctap.local`,
            displayName: `UNODC ${i}`,
            password: 'Unodc-Pass-2026!!',
            role: 'unodc_manager',
          })
        ).status,
      ).toBe(201);
    }
    const emails: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await a.admin.get(`/api/v1/users?role=unodc_manager&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/argon2|password_hash|passwordHash/);
      for (const u of res.body.items) {
        expect(u.role).toBe('unodc_manager');
        emails.push(u.email);
      }
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails).toEqual(expect.arrayContaining([0, 1, 2].map((i) => `${marker}-${i}@ctap.local`)));
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it('deactivation stops new tokens and the tokens already issued, at once', async () => {
    const email = `${unique('leaver')}@ctap.local`;
    const password = 'Leaving-Officer-2026!';
    const created = await a.admin.post('/api/v1/users', {
      email,
      displayName: 'Leaving officer',
      password,
      role: 'cted_officer',
    });
    const token = (await login(email, password)).body.accessToken;
    expect((await stack.http.get('/api/v1/work-queue').set('Authorization', `Bearer ${token}`)).status).toBe(200);

    const off = await a.admin.post(`/api/v1/users/${created.body.id}/actions/deactivate`);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: created.body.id, active: false });
    const again = await a.admin.post(`/api/v1/users/${created.body.id}/actions/deactivate`);
    expect(again.status).toBe(200);

    const stale = await stack.http.get('/api/v1/work-queue').set('Authorization', `Bearer ${token}`);
    expect(stale.status).toBe(401);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await login(email, password)).status).toBe(401);
  });

  it("refuses to deactivate an unknown account (404) or the administrator's own (409)", async () => {
    expect((await a.admin.post('/api/v1/users/00000000-0000-4000-8000-000000000000/actions/deactivate')).status).toBe(
      404,
    );
    const me = (await a.admin.get('/api/v1/users?role=admin&limit=200')).body.items.find(
      (u: { email: string }) => u.email === 'admin@ctap.local',
    );
    const self = await a.admin.post(`/api/v1/users/${me.id}/actions/deactivate`);
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('CANNOT_DEACTIVATE_SELF');
  });

  it('is for administrators only', async () => {
    for (const actor of [a.kenya, a.cted, a.unodc]) {
      expect((await actor.get('/api/v1/users')).status).toBe(403);
      expect(
        (
          await actor.post('/api/v1/users', {
            email: `${unique('x')}@ctap.local`,
            displayName: 'X',
            password: 'Long-Enough-Pass-1',
            role: 'admin',
          })
        ).status,
      ).toBe(403);
    }
  });
});
