import { randomUUID } from 'crypto';
import { requestWorkflowId } from '@app/contracts';
import { ACCOUNTS, useStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(120_000);

const kenyanRequest = {
  title: 'Incorporate the universal instruments into national law',
  needs: [
    {
      thematicArea: 'legislative_incorporation',
      description: 'Review the draft Prevention of Terrorism Bill',
      modalities: ['national_legislative_drafting_workshop'],
    },
    {
      thematicArea: 'countering_terrorist_financing',
      description: 'Train the financial intelligence unit',
      modalities: ['national_training_workshop'],
    },
  ],
  urgency: 'routine',
};

describe('foundation: HTTP submission reaches Postgres and a running workflow', () => {
  // Its worker bundles the workflows at start, as `make start` does (the other files share the
  // bundle the global setup built).
  const stack = useStack('foundation', { env: { WORKFLOW_BUNDLE_PATH: '' } });

  it('reports Postgres and Temporal separately on /health', async () => {
    const res = await stack.http.get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'up',
      checks: { postgres: { status: 'up' }, temporal: { status: 'up' } },
    });
  });

  it('stores a submitted request and starts its workflow on the real server', async () => {
    const token = await stack.tokenFor(ACCOUNTS.kenya);
    const res = await stack.http
      .post('/api/v1/requests')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', randomUUID())
      .send(kenyanRequest)
      .expect(201);
    expect(res.body).toMatchObject({
      memberState: 'KEN',
      region: 'Africa',
      stage: 'cted_review',
      origin: 'member_state',
    });
    expect(res.body.reference).toMatch(/^CTAP-\d{4}-\d{6}$/);

    const [row] = await stack.ds.query(
      'SELECT member_state, stage, workflow_id FROM assistance_requests WHERE reference = $1',
      [res.body.reference],
    );
    expect(row).toMatchObject({
      member_state: 'KEN',
      stage: 'cted_review',
      workflow_id: requestWorkflowId(res.body.reference),
    });

    const description = await stack.temporal.workflow.getHandle(requestWorkflowId(res.body.reference)).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('assistanceRequestWorkflow');

    // The workflow's first activity writes the "submitted" event and the snapshot.
    await waitFor(async () => {
      const [r] = await stack.ds.query('SELECT last_event_seq FROM assistance_requests WHERE reference = $1', [
        res.body.reference,
      ]);
      return r.last_event_seq >= 1;
    });
    const events = await stack.ds.query(
      `SELECT e.type FROM request_events e JOIN assistance_requests r ON r.id = e.request_id WHERE r.reference = $1 ORDER BY e.seq`,
      [res.body.reference],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual(['submitted']);
  });

  it("finds a request by text in its title or reference, only within the caller's scope", async () => {
    const marker = `Marker${Date.now()}`;
    const kenya = await stack.tokenFor(ACCOUNTS.kenya);
    const created = await stack.http
      .post('/api/v1/requests')
      .set('Authorization', `Bearer ${kenya}`)
      .set('Idempotency-Key', randomUUID())
      .send({ ...kenyanRequest, title: `Drafting support ${marker}` })
      .expect(201);
    const byTitle = await stack.http
      .get(`/api/v1/requests?q=${marker.toLowerCase()}`)
      .set('Authorization', `Bearer ${kenya}`)
      .expect(200);
    expect(byTitle.body.items.map((r: { reference: string }) => r.reference)).toEqual([created.body.reference]);
    const cted = await stack.tokenFor(ACCOUNTS.cted);
    const byRef = await stack.http
      .get(`/api/v1/requests?q=${created.body.reference}`)
      .set('Authorization', `Bearer ${cted}`)
      .expect(200);
    expect(byRef.body.items.map((r: { reference: string }) => r.reference)).toEqual([created.body.reference]);
    const indonesia = await stack.tokenFor(ACCOUNTS.indonesia);
    const other = await stack.http
      .get(`/api/v1/requests?q=${marker}`)
      .set('Authorization', `Bearer ${indonesia}`)
      .expect(200);
    expect(other.body.items).toEqual([]);
  });

  it('refuses a route without a token and a body with unknown fields, as problem+json', async () => {
    const anon = await stack.http.get('/api/v1/requests').expect(401);
    expect(anon.headers['content-type']).toMatch(/application\/problem\+json/);
    const token = await stack.tokenFor(ACCOUNTS.kenya);
    const bad = await stack.http
      .post('/api/v1/requests')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', randomUUID())
      .send({ ...kenyanRequest, budget: 5 })
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'budget', reason: 'is not a known field', rule: 'unknown_field' }]);
  });
});
