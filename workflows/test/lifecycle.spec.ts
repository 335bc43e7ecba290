import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Outcome, Stage } from '@app/domain';
import {
  deliveryActivityWorkflowId,
  getRequestQuery,
  reportActivityDeliveredUpdate,
  requestWorkflowId,
} from '@app/contracts';
import { assistanceRequestWorkflow } from '../src';
import { CTED, KENYA, UNODC, UGANDA, activity, decide, requestInput, uniqueRef } from './fixtures';
import { useWorkflowWorker } from './workflow-env';
import { saveHistory } from './histories';
import { waitFor } from '../../test/support/wait';

jest.setTimeout(120_000);

describe('assistance request lifecycle', () => {
  const taskQueue = 'lifecycle';

  const ctx = useWorkflowWorker(taskQueue);
  const { store } = ctx;

  async function start(reference = uniqueRef()) {
    const input = requestInput(reference, await ctx.env.currentTimeMs());
    const handle = await ctx.env.client.workflow.start(assistanceRequestWorkflow, {
      taskQueue,
      workflowId: requestWorkflowId(reference),
      args: [input],
    });
    return { handle, input };
  }

  it('runs from submission through referral, planning, funding, delivery and evaluation to closure', async () => {
    const { handle, input } = await start();
    const id = input.request.requestId;

    let view = await decide(handle, 'request_information', CTED, { questions: ['Which ministry leads?'] });
    expect(view.state.stage).toBe(Stage.AwaitingInformation);
    view = await decide(handle, 'provide_information', KENYA, { answer: 'The Ministry of Justice' });
    expect(view.state.stage).toBe(Stage.CtedReview);

    view = await decide(handle, 'refer_needs', CTED, {
      referrals: [
        { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads legislative assistance' },
        {
          needIds: ['need-2'],
          provider: { kind: 'external', name: 'IMF' },
          rationale: 'IMF already runs FIU programme',
          assessmentRef: 'PIA-KEN',
        },
      ],
    });
    expect(view.state.stage).toBe(Stage.UnodcPlanning);

    view = await decide(handle, 'propose_plan', UNODC, {
      activities: [activity('a1'), activity('a2', { budgetUsd: 15000 })],
    });
    expect(view.state.plan).toMatchObject({ version: 1, status: 'proposed', budgetUsd: 35000 });
    await decide(handle, 'request_plan_revision', KENYA, { planVersion: 1, comments: 'Please hold it in Mombasa' });
    view = await decide(handle, 'propose_plan', UNODC, {
      activities: [activity('a1', { place: 'Mombasa' }), activity('a2', { budgetUsd: 15000 })],
    });
    expect(view.state.plan?.version).toBe(2);
    await decide(handle, 'accept_plan', KENYA, { planVersion: 2 });
    await decide(handle, 'record_cted_consultation', UNODC, { summary: 'CTED agrees; no overlap with IMF work' });
    await decide(handle, 'record_funding', UNODC, { pledgeRef: 'P-NOR-1', donor: 'Norway', amountUsd: 20000 });
    view = await decide(handle, 'approve_plan', UNODC, {});
    expect(view.state.stage).toBe(Stage.AwaitingFunding);

    view = await decide(handle, 'record_funding', UNODC, { pledgeRef: 'P-CAN-1', donor: 'Canada', amountUsd: 15000 });
    expect(view.state.stage).toBe(Stage.Delivery);

    for (const key of ['a1', 'a2']) {
      const child = ctx.env.client.workflow.getHandle(deliveryActivityWorkflowId(input.request.reference, key));
      await child.executeUpdate(reportActivityDeliveredUpdate, {
        args: [
          {
            decisionId: `deliver-${key}`,
            actor: UNODC,
            deliveredOn: '2026-03-03',
            participantsByState: { KEN: 25 },
            officialsTrainedByProfession: { judge: 10, prosecutor: 12 },
            outputs: ['draft bill'],
          },
        ],
      });
    }
    await waitFor(async () =>
      (await handle.query(getRequestQuery)).state.activities.every((a) => a.status === 'delivered'),
    );

    await decide(handle, 'record_referral_outcome', CTED, {
      referralId: 'ref-2',
      delivered: true,
      notes: 'IMF delivered FIU training',
    });
    await decide(handle, 'complete_delivery', UNODC, {});
    await decide(handle, 'record_indicators', UNODC, {
      ratifications: [{ instrument: '2005-NUCLEAR-TERRORISM', depositedOn: '2026-06-01' }],
      laws: [{ title: 'Prevention of Terrorism (Amendment) Act', status: 'adopted', date: '2026-09-01' }],
      officialsTrained: 44,
    });
    view = await decide(handle, 'submit_evaluation', KENYA, {
      relevance: 5,
      usefulness: 4,
      comments: 'Very useful',
      furtherNeeds: [
        {
          thematicArea: 'criminal_justice_capacity',
          description: 'Train judges on the new law',
          modalities: ['mock_trial'],
        },
      ],
    });
    expect(view.state.stage).toBe(Stage.Closed);
    expect(view.state.outcome).toBe(Outcome.Completed);

    const result = await handle.result();
    expect(result.outcome).toBe(Outcome.Completed);
    const types = store.types(id);
    expect(types[0]).toBe('submitted');
    expect(types).toEqual(
      expect.arrayContaining([
        'refer_needs',
        'cted_informed',
        'funding_covered',
        'activity_delivered',
        'submit_evaluation',
        'follow_up_opened',
        'closed',
      ]),
    );
    expect(types.filter((t) => t === 'activity_delivered')).toHaveLength(2);
    expect(types.length).toBe(result.events);

    const followUp = ctx.env.client.workflow.getHandle(requestWorkflowId(`${input.request.reference}-F1`));
    const fv = await followUp.query(getRequestQuery);
    expect(fv.state).toMatchObject({
      stage: Stage.CtedReview,
      linkedFrom: input.request.reference,
      memberState: 'KEN',
    });
    expect(fv.state.needs[0].thematicArea).toBe('criminal_justice_capacity');
    await saveHistory(handle, 'full-lifecycle');
    await saveHistory(
      ctx.env.client.workflow.getHandle(deliveryActivityWorkflowId(input.request.reference, 'a1')),
      'activity-delivered',
    );
  });

  it('refuses an illegal decision in the validator, leaving history and state untouched', async () => {
    const { handle, input } = await start();
    await expect(decide(handle, 'approve_plan', UNODC, {})).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(decide(handle, 'refer_needs', KENYA, { referrals: [] })).rejects.toMatchObject({
      cause: { type: 'ROLE_NOT_ALLOWED' },
    });
    await expect(decide(handle, 'withdraw', UGANDA, { reason: 'not ours' })).rejects.toMatchObject({
      cause: { type: 'ROLE_NOT_ALLOWED' },
    });
    await expect(
      decide(handle, 'refer_needs', CTED, {
        referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'x' }],
      }),
    ).rejects.toMatchObject({ cause: { type: 'INVALID_PAYLOAD' } });
    const history = await handle.fetchHistory();
    const updates = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(updates).toHaveLength(0);
    const view = await handle.query(getRequestQuery);
    expect(view.state.stage).toBe(Stage.CtedReview);
    const decided = (store.streams.get(input.request.requestId) ?? []).filter((e) => e.decisionId);
    expect(decided).toEqual([]);
    await saveHistory(handle, 'refused-decisions');
  });

  it('applies a duplicated decision once', async () => {
    const { handle, input } = await start();
    const payload = { questions: ['Who is the focal point?'] };
    const first = await decide(handle, 'request_information', CTED, payload, 'dup-1');
    const again = await decide(handle, 'request_information', CTED, payload, 'dup-1');
    expect(again.state.informationRequests).toHaveLength(1);
    expect(first.state.stage).toBe(Stage.AwaitingInformation);
    expect(store.types(input.request.requestId).filter((t) => t === 'request_information')).toHaveLength(1);
    await saveHistory(handle, 'duplicate-decision');
  });

  it('withdrawal cancels running delivery activities and releases their funding', async () => {
    const { handle, input } = await start();
    await decide(handle, 'refer_needs', CTED, {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB' }],
    });
    await decide(handle, 'propose_plan', UNODC, { activities: [activity('w1')] });
    await decide(handle, 'accept_plan', KENYA, { planVersion: 1 });
    await decide(handle, 'record_cted_consultation', UNODC, { summary: 'ok' });
    await decide(handle, 'record_funding', UNODC, { pledgeRef: 'P-1', donor: 'Japan', amountUsd: 20000 });
    const view = await decide(handle, 'approve_plan', UNODC, {});
    expect(view.state.stage).toBe(Stage.Delivery);
    const closed = await decide(handle, 'withdraw', KENYA, { reason: 'Change of government priorities' });
    expect(closed.state.outcome).toBe(Outcome.Withdrawn);
    expect(closed.state.funding.every((f) => f.released)).toBe(true);
    const child = ctx.env.client.workflow.getHandle(deliveryActivityWorkflowId(input.request.reference, 'w1'));
    const childResult = await child.result();
    expect(childResult.status).toBe('cancelled');
    expect(store.types(`${input.request.requestId}/activity/w1`)).toEqual(['activity_scheduled', 'activity_cancelled']);
    expect(store.types(input.request.requestId)).toContain('funding_released');
    await saveHistory(handle, 'withdrawn-during-delivery');
    await saveHistory(child, 'activity-cancelled');
  });

  it('closes as referred externally once every external referral has an outcome', async () => {
    const { handle } = await start();
    await decide(handle, 'refer_needs', CTED, {
      referrals: [
        {
          needIds: ['need-1'],
          provider: { kind: 'external', name: 'European Union' },
          rationale: 'EU project in place',
        },
        { needIds: ['need-2'], provider: { kind: 'external', name: 'IMF' }, rationale: 'IMF FIU programme' },
      ],
    });
    await decide(handle, 'record_referral_outcome', CTED, {
      referralId: 'ref-1',
      delivered: false,
      notes: 'EU declined',
    });
    const view = await decide(handle, 'record_referral_outcome', CTED, {
      referralId: 'ref-2',
      delivered: false,
      notes: 'IMF had no funds',
    });
    expect(view.state.outcome).toBe(Outcome.ReferredExternallyNotDelivered);
    await saveHistory(handle, 'referred-externally');
  });
});
