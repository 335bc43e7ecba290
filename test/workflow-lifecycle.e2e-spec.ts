import { DEFAULT_DEADLINES, DecisionPayloads, DecisionType } from '@app/domain';
import { EventStore } from '@app/persistence';
import { RequestView, WORKFLOW_TYPES, decisionUpdate, requestWorkflowId } from '@app/contracts';
import type { AssistanceRequestWorkflow } from '@app/contracts';
import { CTED, lifecycleSteps, newRequest, startRequest, stateActor } from './support/request-driver';
import { untilAccepted } from './support/retry';
import { useStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(180_000);

/** One request driven from submission to closure on the real dev server, worker and Postgres. */
describe('request lifecycle on the real Temporal dev server', () => {
  const stack = useStack('lifecycle');

  it('closes as completed with one event per decision, a valid hash chain and searchable attributes', async () => {
    const reference = `E2E-LC-${process.pid}-${Date.now()}`;
    const request = newRequest(reference, 'IDN', 'Asia');
    const handle = await startRequest(stack.temporal, stack.taskQueue, request);
    const steps = lifecycleSteps(stack.temporal, request);
    for (const step of steps) await untilAccepted(step.run);
    const result = await handle.result();
    expect(result.outcome).toBe('completed');

    const events: { type: string; decision_id: string | null; stream: string }[] = await stack.ds.query(
      'SELECT type, decision_id, stream FROM request_events WHERE request_id = $1 ORDER BY stream, seq',
      [request.requestId],
    );
    for (const step of steps) expect(events.filter((e) => e.decision_id === step.decisionId)).toHaveLength(1);
    expect(events.filter((e) => e.stream === request.requestId).length).toBe(result.events);
    const verdicts = await new EventStore(stack.ds).verify(request.requestId);
    expect(Object.keys(verdicts)).toHaveLength(2);
    expect(Object.values(verdicts).every((v) => v.ok)).toBe(true);

    const [row] = await stack.ds.query('SELECT stage, outcome, member_state FROM assistance_requests WHERE id = $1', [
      request.requestId,
    ]);
    expect(row).toEqual({ stage: 'closed', outcome: 'completed', member_state: 'IDN' });
    const [activity] = await stack.ds.query('SELECT status, report FROM delivery_activities WHERE request_id = $1', [
      request.requestId,
    ]);
    expect(activity.status).toBe('delivered');
    expect(activity.report.participantsByState).toEqual({ IDN: 30 });

    await waitFor(async () => {
      const found: string[] = [];
      for await (const wf of stack.temporal.workflow.list({
        query: `WorkflowId = '${requestWorkflowId(reference)}' AND CtapStage = 'closed' AND CtapMemberState = 'IDN' AND CtapRegion = 'Asia' AND CtapThematicAreas = 'legislative_incorporation'`,
      })) {
        found.push(wf.workflowId);
      }
      return found.length === 1;
    });
  });

  it('continues as new before history grows large, carrying state and applied decisions over', async () => {
    const reference = `E2E-CAN-${process.pid}-${Date.now()}`;
    const request = newRequest(reference, 'JOR', 'Asia');
    const handle = await stack.temporal.workflow.start<AssistanceRequestWorkflow>(WORKFLOW_TYPES.assistanceRequest, {
      taskQueue: stack.taskQueue,
      workflowId: requestWorkflowId(reference),
      args: [{ request, deadlines: DEFAULT_DEADLINES, historyBudget: 60 }],
    });
    const decide = <T extends DecisionType>(
      type: T,
      actor: typeof CTED,
      payload: DecisionPayloads[T],
      decisionId: string,
    ) =>
      untilAccepted(() =>
        handle.executeUpdate(decisionUpdate(type), {
          args: [{ decisionId, type, actor, payload }],
          updateId: decisionId,
        }),
      ).then((r) => r.value as RequestView);
    const firstRun = handle.firstExecutionRunId;
    for (let i = 1; i <= 8; i++) {
      await decide('request_information', CTED, { questions: [`Question ${i}`] }, `${reference}:ask-${i}`);
      await decide('provide_information', stateActor('JOR'), { answer: `Answer ${i}` }, `${reference}:answer-${i}`);
    }
    await waitFor(async () => (await handle.describe()).runId !== firstRun);
    // A decision retried after continue-as-new (new update id, same decision id) is recognised and not applied twice.
    const view = await decide('request_information', CTED, { questions: ['Question 1'] }, `${reference}:ask-1`);
    expect(view.state.informationRequests).toHaveLength(8);
    expect(view.state.stage).toBe('cted_review');
    await decide('decline', CTED, { reason: 'Merged with an earlier request' }, `${reference}:decline`);
    const result = await handle.result();
    expect(result.outcome).toBe('declined');
    const events: { type: string; seq: number }[] = await stack.ds.query(
      'SELECT type, seq FROM request_events WHERE stream = $1 ORDER BY seq',
      [request.requestId],
    );
    expect(events.filter((e) => e.type === 'request_information')).toHaveLength(8);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(result.events).toBe(events.length);
    expect((await new EventStore(stack.ds).verify(request.requestId))[request.requestId].ok).toBe(true);
  });

  it('detects tampering with the event log', async () => {
    const reference = `E2E-TAMPER-${process.pid}-${Date.now()}`;
    const request = newRequest(reference);
    await startRequest(stack.temporal, stack.taskQueue, request);
    const [first] = lifecycleSteps(stack.temporal, request);
    await untilAccepted(first.run);
    const store = new EventStore(stack.ds);
    expect((await store.verify(request.requestId))[request.requestId].ok).toBe(true);
    await expect(
      stack.ds.query(`UPDATE request_events SET payload = '{}' WHERE request_id = $1`, [request.requestId]),
    ).rejects.toThrow(/append-only/);
    // Even a superuser who disables the trigger cannot hide the change from the verifier.
    await stack.ds.transaction(async (tx) => {
      await tx.query('ALTER TABLE request_events DISABLE TRIGGER request_events_no_update');
      await tx.query(
        `UPDATE request_events SET payload = '{"questions":["forged"]}' WHERE request_id = $1 AND type = 'request_information'`,
        [request.requestId],
      );
      await tx.query('ALTER TABLE request_events ENABLE TRIGGER request_events_no_update');
    });
    const verdict = (await store.verify(request.requestId))[request.requestId];
    expect(verdict).toMatchObject({ ok: false, reason: 'event content does not match its hash' });
  });
});
