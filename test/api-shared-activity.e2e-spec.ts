import { sharedDeliveryActivityWorkflowId } from '@app/contracts';
import { actors, unique } from './api-fixtures';
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
    const sharedKey = `RW-${unique('X')
      .replace(/[^A-Za-z0-9]/g, '')
      .toUpperCase()
      .slice(0, 40)}`;
    const workshop = {
      key: 'cft-regional',
      title: 'Subregional workshop on countering the financing of terrorism',
      modality: 'subregional_workshop',
      thematicArea: 'countering_terrorist_financing',
      startDate: '2026-05-10',
      endDate: '2026-05-12',
      place: 'Bangkok',
      participatingStates: ['IDN', 'KEN'],
      partners: ['FATF'],
      budgetUsd: 40000,
      sharedKey,
    };
    const refs: string[] = [];
    for (const [state, iso3] of [
      [a.kenya, 'KEN'],
      [a.indonesia, 'IDN'],
    ] as const) {
      const submitted = await state.submit({
        title: `CFT assistance ${unique()}`,
        needs: [
          {
            thematicArea: 'countering_terrorist_financing',
            description: 'Financial intelligence unit training',
            modalities: ['subregional_workshop'],
          },
        ],
        urgency: 'routine',
      });
      expect(submitted.status).toBe(201);
      const ref: string = submitted.body.reference;
      refs.push(ref);
      await a.cted.decide(ref, 'refer-needs', {
        referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'Regional CFT programme' }],
      });
      await a.unodc.decide(ref, 'propose-plan', { activities: [workshop] });
      await state.decide(ref, 'accept-plan', { planVersion: 1 });
      await a.unodc.decide(ref, 'record-cted-consultation', { summary: 'CTED supports a joint workshop' });
      await a.unodc.decide(ref, 'record-funding', {
        pledgeRef: `PL-${iso3}-${sharedKey}`,
        donor: 'Japan',
        amountUsd: 40000,
      });
      const approved = await a.unodc.decide(ref, 'approve-plan', {});
      expect(approved.body.stage).toBe('delivery');
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
