import { sharedDeliveryActivityWorkflowId } from '@app/contracts';
import { actors, sharedWorkshop, sharedWorkshopRequestInDelivery } from './api-fixtures';
import { useStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(180_000);

/**
 * A subregional workshop serving Kenya's and Indonesia's requests at once, over HTTP: one activity
 * workflow, linked to both, delivered once, recorded in both requests, participants per State.
 */
describe('shared regional activity over HTTP', () => {
  const stack = useStack('api-shared');

  it('is one activity delivered once for every request it serves', async () => {
    const a = actors(stack);
    const workshop = sharedWorkshop('X');
    const { sharedKey } = workshop;
    const refs: string[] = [];
    for (const [state, iso3] of [
      [a.kenya, 'KEN'],
      [a.indonesia, 'IDN'],
    ] as const) {
      refs.push(await sharedWorkshopRequestInDelivery(a, state, iso3, workshop));
    }

    const shared = stack.temporal.workflow.getHandle(sharedDeliveryActivityWorkflowId(sharedKey));
    await waitFor(async () => {
      const rows = await stack.ds.query(
        'SELECT DISTINCT activity_ref FROM delivery_activities WHERE reference = ANY($1)',
        [refs],
      );
      return (
        rows.length === 1 &&
        (
          await stack.ds.query('SELECT count(*)::int AS n FROM delivery_activities WHERE reference = ANY($1)', [refs])
        )[0].n === 2
      );
    });
    expect((await shared.describe()).status.name).toBe('RUNNING');

    const delivered = await a.unodc.post(
      `/api/v1/requests/${refs[0]}/activities/cft-regional/actions/report-delivered`,
      {
        deliveredOn: '2026-05-12',
        participantsByState: { KEN: 14, IDN: 17 },
        officialsTrainedByProfession: { financial_intelligence: 20, prosecutor: 11 },
        outputs: ['Regional cooperation roadmap'],
      },
    );
    expect(delivered.status).toBe(200);
    expect((await shared.result()).status).toBe('delivered');

    for (const [i, state] of [a.kenya, a.indonesia].entries()) {
      await waitFor(async () => {
        const list = (await state.get(`/api/v1/requests/${refs[i]}/activities`)).body.items as { status: string }[];
        return list.length === 1 && list[0].status === 'delivered';
      });
      const detail = (await state.get(`/api/v1/requests/${refs[i]}`)).body;
      expect(
        detail.timeline.filter(
          (e: { type: string; stream: string }) => e.type === 'activity_delivered' && e.stream === 'request',
        ),
      ).toHaveLength(1);
    }
    // Each State sees its own request only, even though the activity is shared.
    expect((await a.indonesia.get(`/api/v1/requests/${refs[0]}`)).status).toBe(404);
  });
});
