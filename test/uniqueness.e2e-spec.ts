import { randomUUID } from 'crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { requestWorkflowId, sharedDeliveryActivityWorkflowId } from '@app/contracts';
import { actors, kenyanRequest, sharedWorkshop, sharedWorkshopRequestInDelivery } from './api-fixtures';
import { TestStack, useStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(240_000);

/** Temporal forgets a closed run (retention expired): here it is deleted outright (asynchronously: ask until gone). */
async function forget(stack: TestStack, workflowId: string): Promise<void> {
  await waitFor(async () => {
    if (await absent(stack, workflowId)) return true;
    await stack.temporal.workflowService
      .deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId } })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    return absent(stack, workflowId);
  }, 90_000);
}

async function absent(stack: TestStack, workflowId: string): Promise<boolean> {
  try {
    await stack.temporal.workflow.getHandle(workflowId).describe();
    return false;
  } catch (err) {
    return err instanceof WorkflowNotFoundError;
  }
}

/** Uniqueness held by Postgres, not by Temporal's retention of closed runs. */
describe('nothing runs twice, whatever Temporal has forgotten', () => {
  const stack = useStack('uniqueness');

  it('a late retry of a submission never restarts its closed request', async () => {
    const a = actors(stack);
    const key = randomUUID();
    const body = kenyanRequest();
    const submitted = await a.kenya.submit(body, key);
    expect(submitted.status).toBe(201);
    const ref: string = submitted.body.reference;
    await a.cted.decide(ref, 'decline', { reason: 'Outside the mandate' });
    await waitFor(
      async () =>
        (await stack.temporal.workflow.getHandle(requestWorkflowId(ref)).describe()).status.name === 'COMPLETED',
    );
    await forget(stack, requestWorkflowId(ref));
    // A replay answers the stored response; the request's stored events say its workflow ran.
    const replayed = await a.kenya.submit(body, key);
    expect({ status: replayed.status, body: replayed.body }).toEqual({ status: 201, body: submitted.body });
    expect(await absent(stack, requestWorkflowId(ref))).toBe(true);
    // A claim filed by an older release, whose first attempt died after the workflow ran but before
    // its answer was recorded.
    await stack.ds.query('UPDATE idempotency_keys SET response_status = NULL, response_body = NULL WHERE key = $1', [
      key,
    ]);

    const retried = await a.kenya.submit(body, key);
    expect(retried.status).toBe(201);
    expect(retried.body.reference).toBe(ref);
    expect(await absent(stack, requestWorkflowId(ref))).toBe(true);
    const detail = (await a.kenya.get(`/api/v1/requests/${ref}`)).body;
    expect(detail).toMatchObject({ stage: 'closed', outcome: 'declined' });
  });

  it('a shared activity whose closed run was deleted is never started again by a later plan', async () => {
    const a = actors(stack);
    const workshop = sharedWorkshop('U');
    const { sharedKey } = workshop;
    const toDelivery = (state: (typeof a)['kenya'], iso3: string) =>
      sharedWorkshopRequestInDelivery(a, state, iso3, workshop);

    const kenya = await toDelivery(a.kenya, 'KEN');
    const shared = stack.temporal.workflow.getHandle(sharedDeliveryActivityWorkflowId(sharedKey));
    await waitFor(async () => (await a.unodc.get(`/api/v1/requests/${kenya}/activities`)).body.items?.length === 1);
    const delivered = await a.unodc.post(`/api/v1/requests/${kenya}/activities/cft-regional/actions/report-delivered`, {
      deliveredOn: '2026-05-12',
      participantsByState: { KEN: 14 },
      officialsTrainedByProfession: { prosecutor: 11 },
      outputs: ['Regional cooperation roadmap'],
    });
    expect(delivered.status).toBe(200);
    expect((await shared.result()).status).toBe('delivered');
    const stream = `shared-activity/${sharedKey}`;
    const before = await stack.ds.query('SELECT seq, hash FROM request_events WHERE stream = $1 ORDER BY seq', [
      stream,
    ]);
    expect(before.length).toBeGreaterThan(0);
    await forget(stack, sharedDeliveryActivityWorkflowId(sharedKey));

    // Indonesia plans the same sharedKey afterwards: it did not take part, and nothing restarts.
    const indonesia = await toDelivery(a.indonesia, 'IDN');
    await waitFor(async () => {
      const detail = (await a.indonesia.get(`/api/v1/requests/${indonesia}`)).body;
      return detail.timeline?.some((e: { type: string }) => e.type === 'activity_cancelled');
    });
    expect(await absent(stack, sharedDeliveryActivityWorkflowId(sharedKey))).toBe(true);
    const after = await stack.ds.query('SELECT seq, hash FROM request_events WHERE stream = $1 ORDER BY seq', [stream]);
    expect(after).toEqual(before);
    const [claim] = await stack.ds.query('SELECT reference FROM shared_activity_claims WHERE shared_key = $1', [
      sharedKey,
    ]);
    expect(claim.reference).toBe(kenya);
  });
});
