import { DAY_MS, Outcome, Stage } from '@app/domain';
import {
  deliveryActivityWorkflowId,
  getRequestQuery,
  reportActivityDeliveredUpdate,
  requestWorkflowId,
} from '@app/contracts';
import { assistanceRequestWorkflow } from '../src';
import { CTED, KENYA, UNODC, decide, driveToDelivery, requestInput, uniqueRef } from './fixtures';
import { useWorkflowWorker } from './workflow-env';
import { saveHistory } from './histories';
import { waitFor } from '../../test/support/wait';

jest.setTimeout(120_000);

/** Deadlines on the time-skipping server: months pass in milliseconds, nothing really waits. */
describe('deadlines as durable timers', () => {
  const taskQueue = 'timers';

  const ctx = useWorkflowWorker(taskQueue);
  const { store } = ctx;

  async function start() {
    const reference = uniqueRef('TM');
    const input = requestInput(reference, await ctx.env.currentTimeMs());
    const handle = await ctx.env.client.workflow.start(assistanceRequestWorkflow, {
      taskQueue,
      workflowId: requestWorkflowId(reference),
      args: [input],
    });
    return { handle, input, id: input.request.requestId };
  }

  const events = (id: string) => store.streams.get(id) ?? [];
  const ofType = (id: string, type: string) => events(id).filter((e) => e.type === type);

  it('flags CTED review overdue at 30 days, reminds weekly and escalates once at 45 days', async () => {
    const { handle, id } = await start();
    await ctx.env.sleep(29 * DAY_MS);
    expect((await handle.query(getRequestQuery)).state.clock.overdue).toBe(false);
    await ctx.env.sleep(2 * DAY_MS);
    const view = await handle.query(getRequestQuery);
    expect(view.state.clock.overdue).toBe(true);
    expect(ofType(id, 'overdue')).toHaveLength(1);
    const described = await handle.describe();
    expect(described.searchAttributes.CtapOverdue).toEqual([true]);
    await ctx.env.sleep(16 * DAY_MS); // day 47: reminders at 30, 37, 44; escalation at 45
    expect(ofType(id, 'deadline_reminder')).toHaveLength(3);
    expect(ofType(id, 'escalated')).toHaveLength(1);
    await ctx.env.sleep(30 * DAY_MS);
    expect(ofType(id, 'escalated')).toHaveLength(1);
    await saveHistory(handle, 'overdue-and-escalated');
  });

  it('stops the CTED clock while the State is asked for information, and resumes it afterwards', async () => {
    const { handle, id } = await start();
    await ctx.env.sleep(20 * DAY_MS);
    await decide(handle, 'request_information', CTED, { questions: ['Which ministry leads?'] });
    await ctx.env.sleep(40 * DAY_MS); // 2 reminders to the State (days 14, 28), no CTED overdue
    expect(ofType(id, 'overdue')).toHaveLength(0);
    expect(ofType(id, 'state_reminder')).toHaveLength(2);
    await decide(handle, 'provide_information', KENYA, { answer: 'Justice' });
    await ctx.env.sleep(9 * DAY_MS);
    expect(ofType(id, 'overdue')).toHaveLength(0);
    await ctx.env.sleep(2 * DAY_MS); // 20 + 11 = 31 working days of CTED
    expect(ofType(id, 'overdue')).toHaveLength(1);
    await saveHistory(handle, 'clock-stopped-while-waiting');
  });

  it('lapses an unanswered information request after its last reminder and closes the request', async () => {
    const { handle, id } = await start();
    await decide(handle, 'request_information', CTED, { questions: ['Please send the draft law'] });
    await ctx.env.sleep(55 * DAY_MS);
    expect((await handle.query(getRequestQuery)).state.stage).toBe(Stage.AwaitingInformation);
    expect(ofType(id, 'state_reminder')).toHaveLength(3);
    await ctx.env.sleep(2 * DAY_MS);
    const result = await handle.result();
    expect(result.outcome).toBe(Outcome.Lapsed);
    expect(
      events(id)
        .map((e) => e.type)
        .slice(-3),
    ).toEqual(['information_lapsed', 'stage_changed', 'closed']);
    expect(ofType(id, 'information_lapsed')).toHaveLength(1);
    expect(ofType(id, 'closed')[0].payload).toEqual({ outcome: Outcome.Lapsed });
    await saveHistory(handle, 'information-lapsed');
  });

  it('issues the evaluation questionnaire after delivery, reminds, and closes as evaluation not received', async () => {
    const { handle, id, input } = await start();
    await driveToDelivery(handle);
    const child = ctx.env.client.workflow.getHandle(deliveryActivityWorkflowId(input.request.reference, 'a1'));
    await child.executeUpdate(reportActivityDeliveredUpdate, {
      args: [
        {
          decisionId: 'dlv',
          actor: UNODC,
          deliveredOn: '2026-03-03',
          participantsByState: { KEN: 20 },
          officialsTrainedByProfession: { judge: 20 },
          outputs: [],
        },
      ],
    });
    await waitFor(async () => (await handle.query(getRequestQuery)).state.activities[0].status === 'delivered', 5000);
    await decide(handle, 'complete_delivery', UNODC, {});
    await ctx.env.sleep(29 * DAY_MS);
    expect(ofType(id, 'evaluation_questionnaire_issued')).toHaveLength(0);
    await ctx.env.sleep(2 * DAY_MS);
    expect(ofType(id, 'evaluation_questionnaire_issued')).toHaveLength(1);
    await ctx.env.sleep(60 * DAY_MS); // reminders 21 and 42 days after issue
    expect(ofType(id, 'state_reminder')).toHaveLength(2);
    const result = await handle.result();
    expect(result.outcome).toBe(Outcome.EvaluationNotReceived);
    await saveHistory(handle, 'evaluation-not-received');
  });
});
