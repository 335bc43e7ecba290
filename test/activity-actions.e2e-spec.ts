import { activity, actors, deliveredReport, unique } from './api-fixtures';
import { useStack } from './support/test-stack';

jest.setTimeout(180_000);

/**
 * An activity can be acted on the moment the approval that starts it answers, and the request can
 * be completed the moment its activities are reported: no waiting, no retry, no 503 (issue 11, 3).
 * Before, the API polled for the activity's first event and answered 503 "still starting" after a
 * while, and polled every 100 ms for the request to learn of the delivery.
 */
describe('actions on delivery activities, right after the decisions that enable them', () => {
  const stack = useStack('activity-actions');

  async function approved(a: ReturnType<typeof actors>, keys: string[]): Promise<string> {
    const submitted = await a.kenya.submit();
    expect(submitted.status).toBe(201);
    const ref: string = submitted.body.reference;
    await a.cted.decide(ref, 'refer-needs', {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads' }],
    });
    await a.unodc.decide(ref, 'propose-plan', { activities: keys.map((k) => activity(k)) });
    await a.kenya.decide(ref, 'accept-plan', { planVersion: 1 });
    await a.unodc.decide(ref, 'record-cted-consultation', { summary: 'CTED agrees' });
    await a.unodc.decide(ref, 'record-funding', {
      pledgeRef: unique('P'),
      donor: 'Norway',
      amountUsd: 20000 * keys.length,
    });
    const res = await a.unodc.decide(ref, 'approve-plan', {});
    expect(res.body.stage).toBe('delivery');
    return ref;
  }

  it('reports, reschedules and cancels activities at once after approval, then completes delivery at once', async () => {
    const a = actors(stack);
    // Sign in once each first: sign-ins are rate limited, and this test is about the decisions.
    for (const actor of [a.kenya, a.cted, a.unodc]) await actor.get('/api/v1/requests?pageSize=1');
    // Several requests at the same time, so the workflows are busy when the actions arrive.
    const refs = await Promise.all([0, 1, 2, 3].map(() => approved(a, ['w1', 'w2'])));
    const statuses: number[] = [];
    await Promise.all(
      refs.map(async (ref, i) => {
        const base = `/api/v1/requests/${ref}/activities`;
        const first = await a.unodc.post(`${base}/w1/actions/report-delivered`, deliveredReport);
        statuses.push(first.status);
        expect(first.body).toMatchObject({ key: 'w1', status: 'delivered' });
        // The other activity: rescheduled then cancelled on half of them, delivered on the rest.
        if (i % 2 === 0) {
          const moved = await a.unodc.post(`${base}/w2/actions/reschedule`, {
            startDate: '2026-04-01',
            endDate: '2026-04-02',
            reason: 'The Parliament sits in March',
          });
          statuses.push(moved.status);
          expect(moved.body).toMatchObject({ key: 'w2', status: 'scheduled', startDate: '2026-04-01' });
          const cancelled = await a.unodc.post(`${base}/w2/actions/cancel`, { reason: 'Merged into w1' });
          statuses.push(cancelled.status);
          expect(cancelled.body).toMatchObject({ key: 'w2', status: 'cancelled' });
        } else {
          const second = await a.unodc.post(`${base}/w2/actions/report-delivered`, deliveredReport);
          statuses.push(second.status);
        }
        // The request already knows: completing it right now is accepted.
        const completed = await a.unodc.post(`/api/v1/requests/${ref}/actions/complete-delivery`, {
          summary: 'Delivered',
        });
        statuses.push(completed.status);
        expect(completed.body).toMatchObject({ stage: 'follow_up_evaluation' });
        const request = (await a.unodc.get(`/api/v1/requests/${ref}`)).body;
        expect(request.state.activities.map((x: { status: string }) => x.status).sort()).toEqual(
          i % 2 === 0 ? ['cancelled', 'delivered'] : ['delivered', 'delivered'],
        );
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('answers a repeated report with the stored activity, and an ended one with 409', async () => {
    const a = actors(stack);
    const ref = await approved(a, ['w1']);
    const path = `/api/v1/requests/${ref}/activities/w1/actions/report-delivered`;
    const decisionId = unique('report');
    const first = await a.unodc.post(path, { ...deliveredReport, decisionId });
    const again = await a.unodc.post(path, { ...deliveredReport, decisionId });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    const other = await a.unodc.post(path, deliveredReport);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'STAGE_NOT_ALLOWED' });
  });

  it('answers 404 naming the key for an activity the request does not have', async () => {
    const a = actors(stack);
    const ref = await approved(a, ['w1']);
    const res = await a.unodc.post(`/api/v1/requests/${ref}/activities/nope/actions/report-delivered`, deliveredReport);
    expect(res.status).toBe(404);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'key' })]);
  });
});
