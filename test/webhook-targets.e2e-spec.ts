import { actors } from './api-fixtures';
import { useStack } from './support/test-stack';

jest.setTimeout(120_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

/**
 * With WEBHOOK_ALLOW_PRIVATE_TARGETS off (the production default), an administrator cannot point a
 * webhook at this machine, a private network or a cloud metadata service (server-side request
 * forgery). The worker checks again when connecting (apps/worker/src/notifications/webhook-poster.spec.ts).
 */
describe('webhook targets: public addresses only', () => {
  const stack = useStack('webhook-targets', { worker: false, env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' } });
  const admin = () => actors(stack).admin;

  it.each([
    ['http://127.0.0.1:5432/', 422],
    ['http://169.254.169.254/latest/meta-data', 422],
    ['http://10.0.0.7/hooks', 422],
    ['http://localhost:3000/', 422],
    // IPv6 literals are not host names the URL schema takes at all.
    ['http://[::1]:7233/', 400],
    ['http://[::ffff:127.0.0.1]/', 400],
  ])('%s is refused (%d) naming url, and nothing is stored', async (url, status) => {
    const res = await admin().post('/api/v1/webhooks', { url, eventTypes: ['submitted'] });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
    const [{ n }] = await stack.ds.query('SELECT count(*)::int AS n FROM webhook_subscriptions WHERE url = $1', [url]);
    expect(n).toBe(0);
  });

  it('a public URL is accepted, and cannot be changed to a private one', async () => {
    const created = await admin().post('/api/v1/webhooks', {
      url: 'https://cted-db.example.org/hooks/ctap',
      eventTypes: ['submitted'],
      active: false,
    });
    expect(created.status).toBe(201);
    try {
      const changed = await admin().patch(`/api/v1/webhooks/${created.body.id}`, { url: 'http://192.168.0.1/' });
      expect(changed.status).toBe(422);
      expect((await admin().get(`/api/v1/webhooks/${created.body.id}`)).body.url).toBe(
        'https://cted-db.example.org/hooks/ctap',
      );
    } finally {
      await admin().delete(`/api/v1/webhooks/${created.body.id}`);
    }
  });
});
