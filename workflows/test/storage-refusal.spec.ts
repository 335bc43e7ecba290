import { WorkflowUpdateFailedError } from '@temporalio/client';
import { CURRENT_TIMER_RULES, Stage } from '@app/domain';
import {
  deliveryActivityWorkflowId,
  getDeliveryActivityQuery,
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

/** A decision changes the workflow's state only once its events are stored. */
describe('a decision the database refuses', () => {
  const taskQueue = 'storage-refusal';
  const ctx = useWorkflowWorker(taskQueue);

  async function start() {
    const input = requestInput(uniqueRef('REFUSE'), await ctx.env.currentTimeMs());
    const handle = await ctx.env.client.workflow.start(assistanceRequestWorkflow, {
      taskQueue,
      workflowId: requestWorkflowId(input.request.reference),
      args: [input],
    });
    return { handle, input };
  }

  afterEach(() => {
    ctx.store.refuseText = undefined;
  });

  it('is refused with STORAGE_REFUSED; the request is unchanged and takes its next decision', async () => {
    const { handle, input } = await start();
    const stream = input.request.requestId;
    await waitFor(async () => ctx.store.types(stream).length === 1);
    ctx.store.refuseText = 'REFUSED-BY-DB';

    const refused = decide(handle, 'request_information', CTED, { questions: ['Which REFUSED-BY-DB ministry?'] });
    await expect(refused).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({ cause: { type: 'STORAGE_REFUSED' } });
    const after = await handle.query(getRequestQuery);
    expect(after.state.stage).toBe(Stage.CtedReview);
    expect(after.state.informationRequests).toEqual([]);
    expect(after.lastEventSeq).toBe(1);
    expect(ctx.store.types(stream)).toEqual(['submitted']);

    // The same decision id, corrected, is a new decision: nothing of the refused one was kept.
    const view = await decide(handle, 'request_information', CTED, { questions: ['Which ministry?'] });
    expect(view.state.stage).toBe(Stage.AwaitingInformation);
    expect(view.state.informationRequests).toHaveLength(1);
    const next = await decide(handle, 'provide_information', KENYA, { answer: 'Justice' });
    expect(next.state.stage).toBe(Stage.CtedReview);
    expect(ctx.store.types(stream)).toEqual([
      'submitted',
      'request_information',
      'stage_changed',
      'provide_information',
      'stage_changed',
    ]);
    expect(next.lastEventSeq).toBe(5);
    expect(ctx.store.snapshots.get(stream)?.state.stage).toBe(Stage.CtedReview);
    // The request's deadlines, stamped with the timer rules its run keeps (the API's `upcoming` uses them).
    expect(ctx.store.snapshots.get(stream)?.deadlines).toEqual({ ...input.deadlines, timerRules: CURRENT_TIMER_RULES });
    await saveHistory(handle, 'storage-refused-decision');
  });

  it('refuses a delivery report the database refuses and accepts the corrected one', async () => {
    const { handle, input } = await start();
    await driveToDelivery(handle);
    const child = ctx.env.client.workflow.getHandle(deliveryActivityWorkflowId(input.request.reference, 'a1'));
    const stream = `${input.request.requestId}/activity/a1`;
    await waitFor(async () => ctx.store.types(stream).length === 1);
    ctx.store.refuseText = 'REFUSED-BY-DB';
    const report = (outputs: string[], decisionId: string) =>
      child.executeUpdate(reportActivityDeliveredUpdate, {
        args: [
          {
            decisionId,
            actor: UNODC,
            deliveredOn: '2026-03-03',
            participantsByState: { KEN: 20 },
            officialsTrainedByProfession: { prosecutor: 20 },
            outputs,
          },
        ],
      });
    await expect(report(['Draft REFUSED-BY-DB bill'], 'r-1')).rejects.toMatchObject({
      cause: { type: 'STORAGE_REFUSED' },
    });
    expect((await child.query(getDeliveryActivityQuery)).status).toBe('scheduled');
    expect(ctx.store.types(stream)).toEqual(['activity_scheduled']);
    const delivered = await report(['Draft bill'], 'r-2');
    expect(delivered.status).toBe('delivered');
    expect(await child.result()).toMatchObject({ status: 'delivered', report: { outputs: ['Draft bill'] } });
    expect(ctx.store.types(stream)).toEqual(['activity_scheduled', 'activity_delivered']);
    await waitFor(async () => (await handle.query(getRequestQuery)).state.activities[0]?.status === 'delivered');
    await saveHistory(child, 'activity-storage-refused');
  });
});
