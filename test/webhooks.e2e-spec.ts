import { createServer, IncomingHttpHeaders, Server } from 'http';
import { Webhook } from 'standardwebhooks';
import { actors, kenyanRequest, unique, waitFor } from './api-fixtures';
import { freePort } from './support/ports';
import { startStack, TestStack } from './support/test-stack';

jest.setTimeout(180_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A local HTTP receiver: /ok accepts, /flaky fails each message's first try with a 500, /dead always fails. */
class Receiver {
  readonly calls: Received[] = [];
  private server?: Server;
  port = 0;
  async start(): Promise<this> {
    this.port = await freePort();
    const seen = new Set<string>();
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        let status = 204;
        if (req.url?.startsWith('/dead')) status = 500;
        if (req.url?.startsWith('/flaky') && !seen.has(id)) {
          seen.add(id);
          status = 500;
        }
        this.calls.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString(), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    return this;
  }
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('webhooks: signed CloudEvents, retries, order per request, auto-disable, replay; pull feed', () => {
  const receiver = new Receiver();
  let stack: TestStack;
  let a: ReturnType<typeof actors>;
  const secret = `whsec_${Buffer.from(unique('secret').padEnd(32, 'x')).toString('base64')}`;
  const created: string[] = [];

  beforeAll(async () => {
    await receiver.start();
    stack = await startStack('webhooks', {
      env: { WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_MAX_ATTEMPTS: '4', NOTIFY_POLL_MS: '100' },
    });
    a = actors(stack);
  });
  afterAll(async () => {
    // Other test files share the database: leave no subscription behind.
    for (const id of created) await a.admin.delete(`/api/v1/webhooks/${id}`);
    await stack?.close();
    await receiver.close();
  });

  async function subscribe(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
    const res = await a.admin.post('/api/v1/webhooks', body);
    expect(res.status).toBe(201);
    created.push(res.body.id);
    return res.body;
  }

  it('delivers every event of a request, signed, in order, retrying after 500s; payloads carry no free text', async () => {
    const flaky = `/flaky/${unique()}`;
    const sub = await subscribe({ url: receiver.url(flaky), eventTypes: ['*'], secret, memberState: 'KEN' });
    expect(sub.secret).toBe(secret);
    const other = await subscribe({ url: receiver.url(`/ok/idn-${unique()}`), eventTypes: ['*'], memberState: 'IDN' });

    const submitted = await a.kenya.submit(kenyanRequest());
    const ref: string = submitted.body.reference;
    const question = `Which ministry ${unique()}?`;
    await waitFor('submitted', async () => (await a.cted.get(`/api/v1/requests/${ref}`)).body.timeline?.length > 0);
    await a.cted.decide(ref, 'request-information', { questions: [question] });
    await a.kenya.decide(ref, 'provide-information', { answer: 'Secret answer of Kenya' });
    await a.kenya.decide(ref, 'withdraw', { reason: 'Confidential reason' });

    const [{ n: events }] = await stack.ds.query(
      `SELECT count(*)::int AS n FROM request_events e JOIN assistance_requests r ON r.id = e.request_id WHERE r.reference = $1`,
      [ref],
    );
    const mine = () => receiver.calls.filter((c) => c.path === flaky && JSON.parse(c.body).subject === ref);
    const ok = () => mine().filter((c) => c.status === 204);
    await waitFor('every event delivered', async () => ok().length === events, 60_000);
    expect(mine().length).toBeGreaterThanOrEqual(2 * events);

    // Signed as Standard Webhooks: verifies with the secret; a tampered body does not.
    const wh = new Webhook(secret);
    for (const c of ok()) expect(() => wh.verify(c.body, c.headers as Record<string, string>)).not.toThrow();
    const first = ok()[0];
    expect(() =>
      wh.verify(first.body.replace('submitted', 'closed'), first.headers as Record<string, string>),
    ).toThrow();

    // CloudEvents 1.0, codes only: no question, answer or reason text leaves CTAP.
    const bodies = ok().map((c) => JSON.parse(c.body));
    expect(bodies[0]).toMatchObject({
      specversion: '1.0',
      type: 'org.un.ctap.submitted',
      source: `/ctap/requests/${ref}`,
      subject: ref,
      datacontenttype: 'application/json',
      data: { reference: ref, memberState: 'KEN', eventType: 'submitted', seq: 1 },
    });
    for (const c of ok()) {
      expect(c.body).not.toContain(question);
      expect(c.body).not.toContain('Secret answer');
      expect(c.body).not.toContain('Confidential reason');
    }
    // In order: each event succeeded before the next was first tried, and each was first refused (500) once.
    expect(bodies.map((b) => Number(b.sequence))).toEqual(Array.from({ length: events }, (_, i) => i + 1));
    expect(mine().map((c) => `${JSON.parse(c.body).sequence}:${c.status}`)).toEqual(
      bodies.flatMap((b) => [`${b.sequence}:500`, `${b.sequence}:204`]),
    );

    // The delivery log shows both attempts of each.
    const log = await a.admin.get(`/api/v1/webhooks/${sub.id}/deliveries?limit=200`);
    expect(log.status).toBe(200);
    const delivery = log.body.items.find((d: { reference: string; eventType: string }) => d.reference === ref);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(delivery.log.map((l: { statusCode: number }) => l.statusCode)).toEqual([500, 204]);

    // Another State's subscription hears nothing of Kenya's request.
    expect(receiver.calls.filter((c) => c.path.includes('/ok/idn-') && c.body.includes(ref))).toEqual([]);
    expect((await a.admin.get(`/api/v1/webhooks/${other.id}/deliveries`)).body.items).toEqual([]);

    // Replay: the same message again, same webhook-id, logged as a replay.
    const replay = await a.admin.post(`/api/v1/webhooks/${sub.id}/deliveries/${delivery.id}/replay`);
    expect(replay.status).toBe(202);
    const webhookId = `evt_${delivery.eventId}`;
    await waitFor(
      'the replay',
      async () => receiver.calls.filter((c) => c.headers['webhook-id'] === webhookId && c.status === 204).length === 2,
    );
    const replayed = await a.admin.get(`/api/v1/webhooks/${sub.id}/deliveries?limit=200`);
    const again = replayed.body.items.find((d: { id: string }) => d.id === delivery.id);
    expect(again.log.map((l: { replay: boolean }) => l.replay)).toEqual([false, false, true]);
  });

  it('disables a subscription whose deliveries keep failing', async () => {
    const sub = await subscribe({ url: receiver.url(`/dead/${unique()}`), eventTypes: ['submitted'] });
    await a.kenya.submit(kenyanRequest());
    const disabled = await waitFor(
      'the subscription to be disabled',
      async () => {
        const res = await a.admin.get(`/api/v1/webhooks/${sub.id}`);
        return res.body.active === false ? res.body : undefined;
      },
      30_000,
    );
    expect(disabled.disabledReason).toMatch(/failed 4 times/);
    const log = await a.admin.get(`/api/v1/webhooks/${sub.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ status: 'failed', attempts: 4 });
    expect(log.body.items[0].log.map((l: { statusCode: number }) => l.statusCode)).toEqual([500, 500, 500, 500]);
    // Re-enabled by an administrator, it is active again.
    const back = await a.admin.patch(`/api/v1/webhooks/${sub.id}`, { active: true });
    expect(back.body).toMatchObject({ active: true, disabledReason: null });
  });

  it('pull feed: CloudEvents after a cursor, a focal point sees its own State only', async () => {
    const submitted = await a.kenya.submit(kenyanRequest());
    const ref: string = submitted.body.reference;
    await waitFor('submitted', async () => (await a.cted.get(`/api/v1/requests/${ref}`)).body.timeline?.length > 0);
    const walk = async (actor: 'kenya' | 'indonesia' | 'cted') => {
      const items: { subject: string; data: { memberState: string } }[] = [];
      let after = '';
      for (;;) {
        const res = await a[actor].get(`/api/v1/events?limit=500${after ? `&after=${after}` : ''}`);
        expect(res.status).toBe(200);
        items.push(...res.body.items);
        if (!res.body.items.length) return items;
        after = res.body.nextCursor;
      }
    };
    const kenya = await walk('kenya');
    expect(kenya.some((e) => e.subject === ref)).toBe(true);
    expect(kenya.every((e) => e.data.memberState === 'KEN')).toBe(true);
    expect((await walk('indonesia')).some((e) => e.subject === ref)).toBe(false);
    expect((await walk('cted')).some((e) => e.subject === ref)).toBe(true);
    const bad = await a.kenya.get('/api/v1/events?after=bm9wZQ');
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ field: 'after', reason: 'not a cursor this API issued', rule: 'invalid' }]);
  });
});
