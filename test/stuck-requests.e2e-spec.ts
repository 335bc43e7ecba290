import { EventStore } from '@app/persistence';
import { actors, kenyanRequest } from './api-fixtures';
import { useStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(120_000);

/**
 * A request whose workflow cannot store an event it has already decided (a fact, not a decision:
 * here its submission) retries for ever: the operator view lists it, /health counts it, and the
 * repair of docs/OPERATIONS.md (fix the cause in the database) lets it move on by itself.
 */
describe('a stuck request is seen and repaired', () => {
  const stack = useStack('stuck', { env: { CTAP_STUCK_MIN_ATTEMPTS: '2' } });
  const marker = `STUCK${Date.now().toString(36).toUpperCase()}`;
  const constraint = `e2e_stuck_${marker.toLowerCase()}`;

  it('lists it with its error and since when, counts it in /health, and clears once repaired', async () => {
    try {
      await stuckThenRepaired();
    } finally {
      await stack.ds.query(`ALTER TABLE request_events DROP CONSTRAINT IF EXISTS ${constraint}`);
    }
  });

  async function stuckThenRepaired() {
    const a = actors(stack);
    // The "bad data": the store refuses this request's submission event until the constraint goes.
    await stack.ds.query(
      `ALTER TABLE request_events ADD CONSTRAINT ${constraint} CHECK (payload::text NOT LIKE '%${marker}%') NOT VALID`,
    );
    const body = kenyanRequest();
    body.needs[0].description = `Review the ${marker} bill`;
    const submitted = await a.kenya.submit(body);
    expect(submitted.status).toBe(201);
    const ref: string = submitted.body.reference;

    const stuckOne = async () => {
      const res = await a.admin.get('/api/v1/admin/stuck-requests');
      expect(res.status).toBe(200);
      return (res.body.items as { reference: string }[]).find((i) => i.reference === ref);
    };
    await waitFor(async () => (await stuckOne()) !== undefined, 30_000);
    const item = (await stuckOne())!;
    expect(item).toMatchObject({
      workflowId: `assistance-request/${ref}`,
      kind: 'activity',
      activityType: 'persistEvents',
    });
    expect((item as unknown as { attempt: number }).attempt).toBeGreaterThanOrEqual(2);
    expect((item as unknown as { error: string }).error).toContain(constraint);
    const since = Date.parse((item as unknown as { since: string }).since);
    expect(since).toBeLessThanOrEqual(Date.now());
    expect(since).toBeGreaterThan(Date.now() - 60_000);

    const health = await stack.http.get('/health');
    expect(health.body.stuckRequests).toBeGreaterThanOrEqual(1);
    expect((await a.kenya.get('/api/v1/admin/stuck-requests')).status).toBe(403);

    // Repair: remove the cause; the activity's next retry stores the event and the request moves on.
    await stack.ds.query(`ALTER TABLE request_events DROP CONSTRAINT ${constraint}`);
    await waitFor(async () => (await a.cted.get(`/api/v1/requests/${ref}`)).body.timeline?.length === 1, 60_000);
    await waitFor(async () => (await stuckOne()) === undefined, 30_000);
    const asked = await a.cted.decide(ref, 'request-information', { questions: ['Which ministry leads?'] });
    expect(asked.body.stage).toBe('awaiting_information');
    const [row] = await stack.ds.query('SELECT id FROM assistance_requests WHERE reference = $1', [ref]);
    const verdicts = await new EventStore(stack.ds).verify(row.id);
    expect(Object.values(verdicts).every((v) => v.ok)).toBe(true);
  }
});
