import { randomUUID } from 'crypto';
import type { Response } from 'supertest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { decisionUpdate, requestWorkflowId } from '@app/contracts';
import { Role } from '@app/domain';
import { ACCOUNTS, activity, actors, kenyanRequest, requestInDelivery } from './api-fixtures';
import { TestStack, startStack } from './support/test-stack';

jest.setTimeout(120_000);

/**
 * Issue 8's examples, one test each, as kinds: text Postgres cannot store, lengths counted as
 * Postgres counts them, shapes, dates that do not exist, query parameters, and the small ones.
 * Each refusal is a 4xx problem+json naming the field, and nothing is left wedged behind it.
 */

function expectProblem(res: Response, status: number, field?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(typeof res.body.code).toBe('string');
  if (field) expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain(field);
}

describe('every kind of bad input is refused before it can be stored', () => {
  let stack: TestStack;
  let a: ReturnType<typeof actors>;
  let inReview: string;

  beforeAll(async () => {
    stack = await startStack('input-kinds');
    a = actors(stack);
    inReview = (await a.kenya.submit()).body.reference;
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A raw JSON text sent as CTED (JSON.parse makes `__proto__` an own key, as on the wire). */
  const raw = async (method: 'post' | 'get', path: string, body?: string, headers: Record<string, string> = {}) => {
    let req = stack.http[method](path).set('Authorization', `Bearer ${await stack.tokenFor(ACCOUNTS.cted)}`);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(body);
  };

  describe('1. unstorable text', () => {
    it('a NUL in a question is refused naming it, and the request still takes the next decision', async () => {
      const bad = await a.cted.post(`/api/v1/requests/${inReview}/actions/request-information`, {
        questions: ['Which ministry\u0000 leads?'],
      });
      expectProblem(bad, 400, 'questions[0]');
      const good = await a.cted.decide(inReview, 'request-information', { questions: ['Which ministry leads?'] });
      expect(good.body.stage).toBe('awaiting_information');
      await a.kenya.decide(inReview, 'provide-information', { answer: 'The Attorney-General' });
    });

    it('a NUL in a title is a 400 and does not burn the Idempotency-Key: the corrected body succeeds', async () => {
      const key = randomUUID();
      const body = kenyanRequest();
      expectProblem(await a.kenya.submit({ ...body, title: `Bad\u0000 title ${body.title}` }, key), 400, 'title');
      const fixed = await a.kenya.submit(body, key);
      expect(fixed.status).toBe(201);
    });

    it('the workflow itself refuses what the API would have refused (one schema), naming the field', async () => {
      const handle = stack.temporal.workflow.getHandle(requestWorkflowId(inReview));
      const err = await handle
        .executeUpdate(decisionUpdate('decline'), {
          args: [
            {
              decisionId: randomUUID(),
              type: 'decline',
              actor: { userId: 'cted', role: Role.CtedOfficer },
              payload: { reason: 'lone \ud800 surrogate' },
            },
          ],
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause as { type?: string; details?: unknown[] };
      expect(cause.type).toBe('INVALID_PAYLOAD');
      expect(cause.details?.[0]).toEqual({ field: 'reason' });
      const notCanonical = await handle
        .executeUpdate(decisionUpdate('decline'), {
          args: [
            {
              decisionId: randomUUID(),
              type: 'decline',
              actor: { userId: 'cted', role: Role.CtedOfficer },
              payload: { reason: `  padded${' '.repeat(5000)}` },
            },
          ],
        })
        .catch((e: unknown) => e);
      expect(((notCanonical as WorkflowUpdateFailedError).cause as { type?: string }).type).toBe('INVALID_PAYLOAD');
      expect((await a.cted.get(`/api/v1/requests/${inReview}`)).body.stage).toBe('cted_review');
    });
  });

  it('2. lengths are counted in code points, as Postgres counts them', async () => {
    const emoji = 'Emoji ' + '\u263A\uFE0F'.repeat(194);
    expectProblem(await a.kenya.submit(kenyanRequest(emoji)), 400, 'title');
    // 200 astral characters are 400 UTF-16 units but 200 characters: accepted.
    const astral = await a.kenya.submit(kenyanRequest('\u{1F30D}'.repeat(200)));
    expect(astral.status).toBe(201);
    expect(astral.body.title).toBe('\u{1F30D}'.repeat(200));
  });

  describe('3. shapes', () => {
    it('an array where a need belongs is refused (no arrays in arrays)', async () => {
      const res = await raw('post', '/api/v1/requests', '{"title":"Nested needs","urgency":"routine","needs":[[]]}', {
        'Idempotency-Key': randomUUID(),
      });
      expectProblem(res, 400, 'needs[0]');
    });

    it('a body nested 10,000 levels deep is a 400 before any handler', async () => {
      const deep = `{"questions":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      const res = await raw('post', `/api/v1/requests/${inReview}/actions/request-information`, deep);
      expectProblem(res, 400);
      expect(res.body.code).toBe('BODY_TOO_DEEP');
    });

    it.each(['__proto__', 'constructor'])('an own "%s" key is an unknown field like any other', async (key) => {
      const res = await raw('post', `/api/v1/requests/${inReview}/actions/decline`, `{"reason":"x","${key}":{}}`);
      expectProblem(res, 400, key);
    });
  });

  describe('4. dates that do not exist, and dates Postgres cannot store', () => {
    it.each(['2026-02-30', '2026', '2026-W05', '2026-1-5', '0000-01-01'])(
      'submittedFrom=%s is a 400 naming it',
      async (value) => {
        expectProblem(await a.cted.get(`/api/v1/requests?submittedFrom=${value}`), 400, 'submittedFrom');
      },
    );

    it('a planned activity outside the declared range (1945-01-01..2100-12-31) is refused', async () => {
      const ref = (await a.kenya.submit()).body.reference;
      await a.cted.decide(ref, 'refer-needs', {
        referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB' }],
      });
      const res = await a.unodc.post(`/api/v1/requests/${ref}/actions/propose-plan`, {
        activities: [activity('far', { startDate: '9999-01-01', endDate: '9999-01-02' })],
      });
      expectProblem(res, 400, 'activities[0].startDate');
    });
  });

  describe('5. query parameters and cursors', () => {
    it('q=%00 is a 400 naming q', async () => {
      expectProblem(await a.cted.get('/api/v1/requests?q=%00'), 400, 'q');
    });

    it('a repeated parameter, an unknown one and a bad limit are 400s naming them', async () => {
      expectProblem(await a.cted.get('/api/v1/requests?stage=closed&stage=delivery'), 400, 'stage');
      expectProblem(await a.cted.get('/api/v1/requests?sort=title'), 400, 'sort');
      expectProblem(await a.cted.get('/api/v1/requests?limit=1e9'), 400, 'limit');
    });

    it('a cursor the API did not issue is a 422, even when well formed; its own cursors work', async () => {
      expectProblem(await a.cted.get('/api/v1/requests?cursor=%00'), 422, 'cursor');
      const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000000Z', randomUUID()])).toString('base64url');
      expectProblem(await a.cted.get(`/api/v1/requests?cursor=${forged}`), 422, 'cursor');
      expectProblem(await a.cted.get(`/api/v1/requests?cursor=${forged}.AAAAAAAAAAAAAAAAAAAAAA`), 422, 'cursor');
      await a.kenya.submit();
      const first = await a.cted.get('/api/v1/requests?limit=1');
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await a.cted.get(`/api/v1/requests?limit=1&cursor=${first.body.nextCursor}`);
      expect(second.status).toBe(200);
      expect(second.body.items[0].reference).not.toBe(first.body.items[0].reference);
    });

    it('one rule for references: any reference the caller cannot see is a 404 naming it, whatever its shape', async () => {
      for (const ref of ['CTAP-2099-999999', 'bad$ref', 'not%20a%20reference', 'X'.repeat(41), '%00']) {
        expectProblem(await a.cted.get(`/api/v1/requests/${ref}`), 404);
      }
      expectProblem(await a.cted.get('/api/v1/requests/bad$ref'), 404, 'reference');
    });
  });

  describe('9. the small ones', () => {
    it('the Authorization scheme is case-insensitive', async () => {
      const token = await stack.tokenFor(ACCOUNTS.cted);
      for (const scheme of ['bearer', 'BEARER', 'Bearer'])
        expect((await stack.http.get('/api/v1/work-queue').set('Authorization', `${scheme} ${token}`)).status).toBe(
          200,
        );
    });

    it('a blank title is refused like other blank text', async () => {
      expectProblem(await a.kenya.submit(kenyanRequest('     ')), 400, 'title');
    });

    it('a missing field says "required", once', async () => {
      const res = await a.cted.post(`/api/v1/requests/${inReview}/actions/decline`, {});
      expectProblem(res, 400, 'reason');
      expect(res.body.errors).toEqual([{ field: 'reason', reason: 'required' }]);
    });

    it('TRACE and other unsupported methods are 405 problem+json with Allow', async () => {
      // Allow lists what the path takes (from the OpenAPI document's routes).
      for (const [res, allow] of [
        [await stack.http.trace('/api/v1/requests'), 'GET, HEAD, POST'],
        [await stack.http.delete(`/api/v1/requests/${inReview}`), 'GET, HEAD'],
        [await stack.http.put('/health'), 'GET, HEAD'],
      ] as const) {
        expectProblem(res, 405);
        expect(res.headers.allow).toBe(allow);
      }
    });

    it('a 20 kB header is a 431 problem+json, an unknown route a 404 problem+json', async () => {
      expectProblem(await stack.http.get('/health').set('X-Big', 'a'.repeat(20 * 1024)), 431);
      expectProblem(await stack.http.get('/api/v1/nothing-here'), 404);
    });
  });

  describe('10. what a first review as a new user still found (each one of its kind)', () => {
    it('an activity key a browser could not address ("." or "..") is refused; the request still moves', async () => {
      const ref = (await a.kenya.submit()).body.reference;
      await a.cted.decide(ref, 'refer-needs', {
        referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB' }],
      });
      for (const key of ['.', '..']) {
        const res = await a.unodc.post(`/api/v1/requests/${ref}/actions/propose-plan`, {
          activities: [activity('x', { key })],
        });
        expectProblem(res, 400, 'activities[0].key');
      }
      await a.unodc.decide(ref, 'propose-plan', { activities: [activity('ws-1')] });
    });

    it('a __proto__ key in a map, and an instrument that is not one of the 19, are refused and nothing is recorded', async () => {
      const ref = await requestInDelivery(stack, [activity('a1')]);
      // Sent as raw JSON text: JSON.parse makes `__proto__` an own key, as on the wire.
      const proto = await stack.http
        .post(`/api/v1/requests/${ref}/activities/a1/actions/report-delivered`)
        .set('Authorization', `Bearer ${await stack.tokenFor(ACCOUNTS.unodc)}`)
        .set('Content-Type', 'application/json')
        .send(
          '{"deliveredOn":"2026-11-02","participantsByState":{"__proto__":{"KEN":1}},"officialsTrainedByProfession":{},"outputs":[]}',
        );
      expectProblem(proto, 400, 'participantsByState.__proto__');
      const fake = await a.unodc.post(`/api/v1/requests/${ref}/actions/record-indicators`, {
        ratifications: [{ instrument: 'HARRY-POTTER', depositedOn: '2026-06-01' }],
      });
      expectProblem(fake, 400, 'ratifications[0].instrument');
      const [row] = await stack.ds.query(
        `SELECT state->'indicators'->'ratifications' AS ratifications,
                (SELECT count(*)::int FROM delivery_activities d WHERE d.request_id = r.id AND d.status = 'delivered') AS delivered
           FROM assistance_requests r WHERE reference = $1`,
        [ref],
      );
      expect(row).toEqual({ ratifications: [], delivered: 0 });
      // The request still takes its next decision.
      await a.unodc.decide(ref, 'record-indicators', {
        ratifications: [{ instrument: '1999-FINANCING', depositedOn: '2026-06-01' }],
      });
    });

    it('a body that is not UTF-8 is a 400, not a title full of U+FFFD', async () => {
      const body = Buffer.concat([Buffer.from('{"title":"Rob'), Buffer.from([0xff, 0xfe]), Buffer.from('ustness"}')]);
      const res = await stack.http
        .post(`/api/v1/requests/${inReview}/actions/decline`)
        .set('Authorization', `Bearer ${await stack.tokenFor(ACCOUNTS.cted)}`)
        .set('Content-Type', 'application/json')
        // superagent would JSON-encode a Buffer: send its bytes as they are.
        .serialize(() => body as unknown as string)
        .send({});
      expectProblem(res, 400);
      expect(res.body).toMatchObject({ code: 'MALFORMED_BODY', detail: 'request body is not valid UTF-8' });
    });

    it('a body that is not JSON is a 415, not "every field required"', async () => {
      const plain = await stack.http
        .post(`/api/v1/requests/${inReview}/actions/decline`)
        .set('Authorization', `Bearer ${await stack.tokenFor(ACCOUNTS.cted)}`)
        .set('Content-Type', 'text/plain')
        .send('{"reason":"x"}');
      expectProblem(plain, 415);
      expect(plain.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it.each([
      ['ten zero-width spaces', '\u200B'.repeat(10)],
      ['a right-to-left override', 'invoice \u202Egnp.exe'],
    ])('a title of %s is refused naming it', async (_what, title) => {
      expectProblem(await a.kenya.submit({ ...kenyanRequest(), title }), 400, 'title');
    });

    it('a missing choice says "required"', async () => {
      const { urgency: _u, ...body } = kenyanRequest() as Record<string, unknown>;
      const res = await a.kenya.submit(body);
      expectProblem(res, 400, 'urgency');
      expect(res.body.errors).toEqual([{ field: 'urgency', reason: 'required' }]);
    });

    it('the same need twice is refused, naming the repeat', async () => {
      const body = kenyanRequest() as { needs: unknown[] };
      expectProblem(await a.kenya.submit({ ...body, needs: [body.needs[0], body.needs[0]] }), 400, 'needs[1]');
    });

    it('consent given on a day that has not begun anywhere is refused, naming it', async () => {
      const res = await a.cted.submit({
        ...kenyanRequest(),
        memberState: 'KEN',
        consent: { grantedBy: 'Permanent Mission of Kenya', grantedAt: '2099-01-01', scope: 'Needs of the 2026 visit' },
      });
      expectProblem(res, 422, 'consent.grantedAt');
    });

    it.each(['0x10', '%201', '1e1'])('limit=%s is a 400 naming limit', async (limit) => {
      expectProblem(await a.cted.get(`/api/v1/requests?limit=${limit}`), 400, 'limit');
    });

    it.each(['CTAP-2026-1', 'ctap-2026-000001', 'null', 'CTAP-2026-999999'])(
      'an unknown reference %s is a 404 naming reference, like a malformed one',
      async (reference) => {
        expectProblem(await a.kenya.get(`/api/v1/requests/${reference}`), 404, 'reference');
      },
    );

    it("another State's request is the same 404 naming reference", async () => {
      expectProblem(await a.indonesia.get(`/api/v1/requests/${inReview}`), 404, 'reference');
    });

    it.each(['%', '%ED%A0%80', 'CTAP%2'])('a path that cannot be decoded (%s) is a 404', async (segment) => {
      const res = await a.cted.get(`/api/v1/requests/${segment}`);
      expectProblem(res, 404);
    });

    it('TRACE on an unknown path is a 404, on a known one a 405 with Allow', async () => {
      expectProblem(await stack.http.trace('/api/v1/nope'), 404);
      const known = await stack.http.trace('/api/v1/requests');
      expectProblem(known, 405);
      expect(known.headers.allow).toBe('GET, HEAD, POST');
    });

    it('a webhook id that names nothing says "webhook subscription", not "user"', async () => {
      const res = await a.admin.get('/api/v1/webhooks/not-a-uuid');
      expectProblem(res, 404, 'id');
      expect(res.body.errors).toEqual([{ field: 'id', reason: 'no such webhook subscription' }]);
    });
  });
});
