import { randomUUID } from 'crypto';
import { EventStore } from '@app/persistence';
import { DEFAULT_DEADLINES, NewRequest } from '@app/domain';
import { decisionUpdate, getRequestQuery, requestWorkflowId } from '@app/contracts';
import type { AssistanceRequestWorkflow } from '@app/contracts';
import { actors, unique } from './api-fixtures';
import { useStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(120_000);

/**
 * Postgres refuses a value that every validator let through (here a test-only CHECK constraint,
 * standing for a NUL byte, an impossible date or a column limit): the decision is refused with
 * 422, the request stays exactly as it was and takes its next decision.
 */
describe('a decision the database refuses', () => {
  const stack = useStack('storage-refusal');
  const marker = `REFUSED${Date.now().toString(36).toUpperCase()}`;
  const constraint = `e2e_refuse_${marker.toLowerCase()}`;

  it('answers 422 STORAGE_REFUSED and leaves the request movable and consistent', async () => {
    await stack.ds.query(
      `ALTER TABLE request_events ADD CONSTRAINT ${constraint} CHECK (payload::text NOT LIKE '%${marker}%') NOT VALID`,
    );
    try {
      await refusedThenMovable();
    } finally {
      await stack.ds.query(`ALTER TABLE request_events DROP CONSTRAINT IF EXISTS ${constraint}`);
    }
  });

  async function refusedThenMovable() {
    const a = actors(stack);
    const submitted = await a.kenya.submit();
    expect(submitted.status).toBe(201);
    const ref: string = submitted.body.reference;
    await waitFor(async () => (await a.cted.get(`/api/v1/requests/${ref}`)).body.timeline?.length === 1);
    const before = (await a.cted.get(`/api/v1/requests/${ref}`)).body;

    const started = Date.now();
    const refused = await a.cted.post(`/api/v1/requests/${ref}/actions/request-information`, {
      questions: ['Which ministry leads?', `Which ${marker} agency?`],
    });
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('STORAGE_REFUSED');
    // Refused at once, not after the 15 s Update deadline.
    expect(Date.now() - started).toBeLessThan(10_000);

    const after = (await a.cted.get(`/api/v1/requests/${ref}`)).body;
    expect(after).toEqual(before);
    const handle = stack.temporal.workflow.getHandle<AssistanceRequestWorkflow>(requestWorkflowId(ref));
    const live = await handle.query(getRequestQuery);
    expect(live.state.stage).toBe('cted_review');
    expect(live.state.informationRequests).toEqual([]);
    expect(live.lastEventSeq).toBe(1);

    // The request still takes decisions, and the log, read model and workflow agree.
    const asked = await a.cted.decide(ref, 'request-information', { questions: ['Which ministry leads?'] });
    expect(asked.body.stage).toBe('awaiting_information');
    const answered = await a.kenya.decide(ref, 'provide-information', { answer: 'The Ministry of Justice' });
    expect(answered.body.stage).toBe('cted_review');
    expect(answered.body.timeline.map((e: { type: string }) => e.type)).toEqual([
      'submitted',
      'request_information',
      'stage_changed',
      'provide_information',
      'stage_changed',
    ]);
    const [row] = await stack.ds.query(
      'SELECT id, last_event_seq, stage FROM assistance_requests WHERE reference = $1',
      [ref],
    );
    expect(row).toMatchObject({ last_event_seq: 5, stage: 'cted_review' });
    expect((await handle.query(getRequestQuery)).lastEventSeq).toBe(5);
    const verdicts = await new EventStore(stack.ds).verify(row.id);
    expect(Object.values(verdicts).every((v) => v.ok)).toBe(true);
  }

  it('refuses a NUL in a decision without wedging the request', async () => {
    const a = actors(stack);
    const submitted = await a.kenya.submit();
    const ref: string = submitted.body.reference;
    await waitFor(async () => (await a.cted.get(`/api/v1/requests/${ref}`)).body.timeline?.length === 1);
    const refused = await a.cted.post(`/api/v1/requests/${ref}/actions/request-information`, {
      questions: ['Which ministry\u0000 leads?'],
    });
    // Refused by the validators (400) or, past them, by the database (422): never a 503 and a wedge.
    expect([400, 422]).toContain(refused.status);
    expect(refused.body.errors[0].field).toBe('questions[0]');
    const asked = await a.cted.decide(ref, 'request-information', { questions: ['Which ministry leads?'] });
    expect(asked.body.stage).toBe('awaiting_information');
  });

  it('keeps a request whose thematic areas hold no valid keyword movable (search attributes are sanitised)', async () => {
    const reference = unique('E2E-SA').toUpperCase();
    const request: NewRequest = {
      requestId: randomUUID(),
      reference,
      title: 'Nested needs',
      memberState: 'KEN',
      region: 'Africa',
      origin: 'member_state',
      needs: [{ id: 'need-1', thematicArea: null as unknown as string, description: 'x', modalities: [] }],
      submittedAt: Date.now(),
    };
    const handle = await stack.temporal.workflow.start<AssistanceRequestWorkflow>('assistanceRequestWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: requestWorkflowId(reference),
      args: [{ request, deadlines: DEFAULT_DEADLINES }],
    });
    const view = await stack.temporal.connection.withDeadline(Date.now() + 20_000, () =>
      handle.executeUpdate(decisionUpdate('request_information'), {
        args: [
          {
            decisionId: 'sa-1',
            type: 'request_information',
            actor: { userId: 'cted', role: 'cted_officer' as never },
            payload: { questions: ['Which areas?'] },
          },
        ],
      }),
    );
    expect(view.state.stage).toBe('awaiting_information');
    const description = await handle.describe();
    expect(description.raw.pendingWorkflowTask?.attempt ?? 1).toBe(1);
    await handle.terminate('test done');
  });
});
