import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AssignmentCommand, Role, Stage } from '@app/domain';
import { assignmentUpdate, getRequestQuery, requestWorkflowId } from '@app/contracts';
import { assistanceRequestWorkflow } from '../src';
import { CTED, KENYA, decide, requestInput, uniqueRef } from './fixtures';
import { useWorkflowWorker } from './workflow-env';
import { saveHistory } from './histories';

jest.setTimeout(120_000);

const OFFICER2 = { userId: 'u-cted-2', role: Role.CtedOfficer };
const SUPERVISOR = { userId: 'u-cted-sup', role: Role.CtedSupervisor };
const MANAGER = { userId: 'u-unodc', role: Role.UnodcManager };

describe('assignment decisions on the request workflow', () => {
  const taskQueue = 'assignment';
  const ctx = useWorkflowWorker(taskQueue);
  const { store } = ctx;
  let n = 0;
  const cmd = (
    action: AssignmentCommand['action'],
    actor: AssignmentCommand['actor'],
    assignee?: AssignmentCommand['assignee'],
    decisionId = `as-${++n}`,
  ): AssignmentCommand => ({ decisionId, action, actor, ...(assignee ? { assignee } : {}) });

  async function refusalCode(p: Promise<unknown>): Promise<string | undefined> {
    try {
      await p;
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type!;
      throw err;
    }
    return undefined;
  }

  it('claims, reassigns and unassigns: each a stored decision, refused ones never recorded', async () => {
    const reference = uniqueRef('AS');
    const input = requestInput(reference, await ctx.env.currentTimeMs());
    const handle = await ctx.env.client.workflow.start(assistanceRequestWorkflow, {
      taskQueue,
      workflowId: requestWorkflowId(reference),
      args: [input],
    });
    const id = input.request.requestId;
    const assign = (c: AssignmentCommand) =>
      handle.executeUpdate(assignmentUpdate, { args: [c], updateId: c.decisionId });

    let view = await assign(cmd('claim', CTED, undefined, 'claim-once'));
    expect(view.state.assignees).toEqual({ cted: { userId: CTED.userId, role: Role.CtedOfficer } });
    // The read model learns the assignee from the snapshot written with the event.
    expect(store.snapshots.get(id)?.assigneeId).toBe(CTED.userId);
    // A retried decision id is applied once; a refused one leaves nothing behind.
    await assign(cmd('claim', CTED, undefined, 'claim-once'));
    expect(await refusalCode(assign(cmd('claim', OFFICER2)))).toBe('ASSIGNMENT_CONFLICT');
    expect(await refusalCode(assign(cmd('assign', CTED, OFFICER2)))).toBe('ROLE_NOT_ALLOWED');
    expect(await refusalCode(assign(cmd('assign', SUPERVISOR, MANAGER)))).toBe('INVALID_ASSIGNEE');
    expect(await refusalCode(assign(cmd('claim', MANAGER)))).toBe('ASSIGNMENT_CONFLICT');
    expect(await refusalCode(assign(cmd('claim', KENYA)))).toBe('ROLE_NOT_ALLOWED');

    view = await assign(cmd('assign', SUPERVISOR, OFFICER2));
    expect(view.state.assignees?.cted).toEqual(OFFICER2);
    // A decision of the body's officers interleaves with assignments as usual.
    await decide(handle, 'request_information', OFFICER2, { questions: ['Which ministry leads?'] });
    await decide(handle, 'provide_information', KENYA, { answer: 'The Ministry of Justice' });
    view = await decide(handle, 'refer_needs', SUPERVISOR, {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB mandate' }],
    });
    expect(view.state.stage).toBe(Stage.UnodcPlanning);
    // CTED's assignee is kept; UNODC starts unassigned.
    expect(store.snapshots.get(id)?.assigneeId).toBeNull();
    view = await assign(cmd('claim', MANAGER));
    expect(view.state.assignees).toEqual({ cted: OFFICER2, unodc: MANAGER });
    view = await assign(cmd('unassign', MANAGER));
    expect(view.state.assignees).toEqual({ cted: OFFICER2 });

    const types = store.types(id);
    expect(types.filter((t) => t === 'assignment_changed')).toHaveLength(4);
    const query = await handle.query(getRequestQuery);
    expect(query.lastEventSeq).toBe(types.length);
    await decide(handle, 'withdraw', KENYA, { reason: 'Test over' });
    await handle.result();
    await saveHistory(handle, 'assignment');
  });
});
