import { WorkflowNotFoundError } from '@temporalio/client';
import { Actor, Outcome, PlannedActivity, Stage } from '@app/domain';
import {
  deliveryActivityWorkflowId,
  getDeliveryActivityQuery,
  getRequestQuery,
  reportActivityDeliveredUpdate,
  requestWorkflowId,
  sharedDeliveryActivityWorkflowId,
} from '@app/contracts';
import { assistanceRequestWorkflow } from '../src';
import { CTED, KENYA, TANZANIA, UGANDA, UNODC, activity, decide, requestInput, uniqueRef } from './fixtures';
import { useWorkflowWorker } from './workflow-env';
import { saveHistory } from './histories';
import { waitFor } from '../../test/support/wait';

jest.setTimeout(120_000);

/**
 * A regional workshop serving the requests of Kenya, Uganda and Tanzania: one delivery activity
 * workflow linked to the three requests, delivered once, recorded once by each request.
 */
describe('shared regional delivery activity', () => {
  const taskQueue = 'regional-activity';

  const ctx = useWorkflowWorker(taskQueue);
  const { store } = ctx;

  const workshop = (key: string, sharedKey: string, participatingStates: string[]): PlannedActivity =>
    activity(key, {
      modality: 'regional_workshop',
      title: 'East Africa regional workshop on countering the financing of terrorism',
      place: 'Kampala',
      participatingStates,
      sharedKey,
    });

  /** Starts a request of `actor`'s State and drives it to delivery with the given plan (fully funded). */
  async function toDelivery(actor: Actor, plan: PlannedActivity[]) {
    const reference = uniqueRef('RW');
    const input = requestInput(reference, await ctx.env.currentTimeMs(), actor.memberState);
    const handle = await ctx.env.client.workflow.start(assistanceRequestWorkflow, {
      taskQueue,
      workflowId: requestWorkflowId(reference),
      args: [input],
    });
    await decide(handle, 'refer_needs', CTED, {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB mandate' }],
    });
    await decide(handle, 'propose_plan', UNODC, { activities: plan });
    await decide(handle, 'accept_plan', actor, { planVersion: 1 });
    await decide(handle, 'record_cted_consultation', UNODC, { summary: 'CTED consulted' });
    await decide(handle, 'record_funding', UNODC, {
      pledgeRef: `P-${reference}`,
      donor: 'Norway',
      amountUsd: plan.reduce((a, p) => a + p.budgetUsd, 0),
    });
    const view = await decide(handle, 'approve_plan', UNODC, {});
    expect(view.state.stage).toBe(Stage.Delivery);
    return { handle, input, requestId: input.request.requestId, reference };
  }

  const sharedView = (sharedKey: string) =>
    ctx.env.client.workflow.getHandle(sharedDeliveryActivityWorkflowId(sharedKey)).query(getDeliveryActivityQuery);

  it('links three requests of three States to ONE activity, delivered once and recorded once by each', async () => {
    const sharedKey = `RW-${Date.now().toString(36).toUpperCase()}-EA-CFT`;
    const stream = `shared-activity/${sharedKey}`;
    // Each request names the workshop with its own key; Kenya's plan lists only KEN and UGA:
    // Tanzania joining adds TZA to the States that may report participants.
    const ken = await toDelivery(KENYA, [workshop('rw', sharedKey, ['KEN', 'UGA'])]);
    const uga = await toDelivery(UGANDA, [workshop('regional-1', sharedKey, ['UGA', 'KEN', 'TZA'])]);
    const tza = await toDelivery(TANZANIA, [workshop('rw', sharedKey, ['TZA', 'KEN'])]);

    await waitFor(async () => store.types(stream).filter((t) => t === 'request_linked').length === 3);
    const linked = (await sharedView(sharedKey)).linked!;
    expect(linked.map((l) => [l.memberState, l.key, l.requestId, l.active])).toEqual([
      ['KEN', 'rw', ken.requestId, true],
      ['UGA', 'regional-1', uga.requestId, true],
      ['TZA', 'rw', tza.requestId, true],
    ]);
    expect(store.types(stream)).toEqual(['activity_scheduled', 'request_linked', 'request_linked', 'request_linked']);
    // No per-request activity workflow or stream: the shared one is the only one.
    for (const r of [ken, uga, tza]) {
      const key = r === uga ? 'regional-1' : 'rw';
      await expect(
        ctx.env.client.workflow.getHandle(deliveryActivityWorkflowId(r.reference, key)).describe(),
      ).rejects.toThrow(WorkflowNotFoundError);
      expect(store.streams.has(`${r.requestId}/activity/${key}`)).toBe(false);
    }
    const shared = ctx.env.client.workflow.getHandle(sharedDeliveryActivityWorkflowId(sharedKey));
    expect((await shared.describe()).status.name).toBe('RUNNING');

    const participantsByState = { KEN: 9, UGA: 7, TZA: 6 };
    await shared.executeUpdate(reportActivityDeliveredUpdate, {
      args: [
        {
          decisionId: 'deliver-rw',
          actor: UNODC,
          deliveredOn: '2026-03-03',
          participantsByState,
          officialsTrainedByProfession: { prosecutor: 12, financial_intelligence: 10 },
          outputs: ['regional cooperation checklist'],
        },
      ],
    });
    expect((await shared.result()).status).toBe('delivered');

    for (const r of [ken, uga, tza]) {
      const key = r === uga ? 'regional-1' : 'rw';
      await waitFor(async () =>
        (await r.handle.query(getRequestQuery)).state.activities.every((a) => a.status === 'delivered'),
      );
      const { state } = await r.handle.query(getRequestQuery);
      expect(state.activities).toEqual([{ key, status: 'delivered', participantsByState, officialsTrained: 22 }]);
      const delivered = (store.streams.get(r.requestId) ?? []).filter((e) => e.type === 'activity_delivered');
      expect(delivered).toHaveLength(1);
      expect(delivered[0].payload).toMatchObject({ key, participantsByState });
    }
    // Delivered once, in one stream: participants are there once, never once per request.
    expect(store.types(stream).filter((t) => t === 'activity_delivered')).toHaveLength(1);

    // Each request can complete its delivery on the strength of the shared workshop.
    const done = await decide(uga.handle, 'complete_delivery', UNODC, {});
    expect(done.state.stage).toBe(Stage.FollowUpEvaluation);

    await saveHistory(ken.handle, 'shared-activity-started');
    await saveHistory(uga.handle, 'shared-activity-joined');
    await saveHistory(shared, 'shared-activity-delivered');
  });

  it('refuses participants from a State that takes no part in the shared activity', async () => {
    const sharedKey = `RW-${Date.now().toString(36).toUpperCase()}-REFUSE`;
    await toDelivery(KENYA, [workshop('rw', sharedKey, ['KEN', 'UGA'])]);
    const shared = ctx.env.client.workflow.getHandle(sharedDeliveryActivityWorkflowId(sharedKey));
    await waitFor(async () => (await sharedView(sharedKey)).linked?.length === 1);
    await expect(
      shared.executeUpdate(reportActivityDeliveredUpdate, {
        args: [
          {
            decisionId: 'deliver-x',
            actor: UNODC,
            deliveredOn: '2026-03-03',
            participantsByState: { KEN: 3, TZA: 2 },
            officialsTrainedByProfession: {},
            outputs: [],
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { type: 'INVALID_PAYLOAD' } });
    expect((await sharedView(sharedKey)).status).toBe('scheduled');
  });

  it('withdrawing one request unlinks it but leaves the activity scheduled for the others', async () => {
    const sharedKey = `RW-${Date.now().toString(36).toUpperCase()}-UNLINK`;
    const stream = `shared-activity/${sharedKey}`;
    const ken = await toDelivery(KENYA, [workshop('rw', sharedKey, ['KEN', 'UGA', 'TZA'])]);
    const uga = await toDelivery(UGANDA, [workshop('rw', sharedKey, ['KEN', 'UGA', 'TZA'])]);
    const tza = await toDelivery(TANZANIA, [workshop('rw', sharedKey, ['KEN', 'UGA', 'TZA'])]);
    await waitFor(async () => (await sharedView(sharedKey)).linked?.length === 3);

    const closed = await decide(uga.handle, 'withdraw', UGANDA, { reason: 'Change of government priorities' });
    expect(closed.state.outcome).toBe(Outcome.Withdrawn);
    await waitFor(async () => store.types(stream).includes('request_unlinked'));
    const view = await sharedView(sharedKey);
    expect(view.status).toBe('scheduled');
    expect(view.linked!.map((l) => [l.memberState, l.active])).toEqual([
      ['KEN', true],
      ['UGA', false],
      ['TZA', true],
    ]);
    const shared = ctx.env.client.workflow.getHandle(sharedDeliveryActivityWorkflowId(sharedKey));
    expect((await shared.describe()).status.name).toBe('RUNNING');

    // Uganda may still send participants (it is a participating State), but its withdrawn request records nothing.
    await shared.executeUpdate(reportActivityDeliveredUpdate, {
      args: [
        {
          decisionId: 'deliver-unlink',
          actor: UNODC,
          deliveredOn: '2026-03-04',
          participantsByState: { KEN: 5, TZA: 4, UGA: 2 },
          officialsTrainedByProfession: { police: 11 },
          outputs: [],
        },
      ],
    });
    for (const r of [ken, tza]) {
      await waitFor(async () => (await r.handle.query(getRequestQuery)).state.activities[0].status === 'delivered');
      expect((store.streams.get(r.requestId) ?? []).filter((e) => e.type === 'activity_delivered')).toHaveLength(1);
    }
    expect((store.streams.get(uga.requestId) ?? []).filter((e) => e.type.startsWith('activity_'))).toEqual([]);
    expect(store.types(stream)).toEqual([
      'activity_scheduled',
      'request_linked',
      'request_linked',
      'request_linked',
      'request_unlinked',
      'activity_delivered',
    ]);
    await saveHistory(uga.handle, 'shared-activity-request-withdrawn');
  });

  it('withdrawing every linked request cancels the shared activity', async () => {
    const sharedKey = `RW-${Date.now().toString(36).toUpperCase()}-ALLGONE`;
    const stream = `shared-activity/${sharedKey}`;
    const ken = await toDelivery(KENYA, [workshop('rw', sharedKey, ['KEN', 'UGA'])]);
    const uga = await toDelivery(UGANDA, [workshop('rw', sharedKey, ['KEN', 'UGA'])]);
    await waitFor(async () => (await sharedView(sharedKey)).linked?.length === 2);

    await decide(ken.handle, 'withdraw', KENYA, { reason: 'Merged into a national programme' });
    await waitFor(async () => store.types(stream).includes('request_unlinked'));
    expect((await sharedView(sharedKey)).status).toBe('scheduled');
    await decide(uga.handle, 'withdraw', UGANDA, { reason: 'No longer a priority' });

    const shared = ctx.env.client.workflow.getHandle(sharedDeliveryActivityWorkflowId(sharedKey));
    const result = await shared.result();
    expect(result.status).toBe('cancelled');
    expect(store.types(stream)).toEqual([
      'activity_scheduled',
      'request_linked',
      'request_linked',
      'request_unlinked',
      'request_unlinked',
      'activity_cancelled',
    ]);
    await saveHistory(shared, 'shared-activity-cancelled');
  });

  it('never starts a second run of a claimed shared activity that Temporal no longer knows', async () => {
    const sharedKey = `RW-${Date.now().toString(36).toUpperCase()}-FORGOTTEN`;
    // Another request claimed and ran it long ago; Temporal's retention has since dropped the run.
    store.claims.set(sharedKey, '00000000-0000-4000-8000-00000000dead');
    const ken = await toDelivery(KENYA, [workshop('rw', sharedKey, ['KEN', 'UGA'])]);
    await waitFor(async () => (await ken.handle.query(getRequestQuery)).state.activities[0]?.status === 'cancelled');
    await expect(
      ctx.env.client.workflow.getHandle(sharedDeliveryActivityWorkflowId(sharedKey)).describe(),
    ).rejects.toThrow(WorkflowNotFoundError);
    expect(store.types(`shared-activity/${sharedKey}`)).toEqual([]);
    expect(store.types(ken.requestId)).toContain('activity_cancelled');
    await saveHistory(ken.handle, 'shared-activity-claimed-elsewhere');
  });
});
