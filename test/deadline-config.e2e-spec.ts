import { getRequestQuery, requestWorkflowId } from '@app/contracts';
import { Actor } from './api-fixtures';
import { ACCOUNTS, TestStack, startStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(120_000);

const STARTED_WITH = '{"owner":{"cted_review":{"dueDays":3,"reminderEveryDays":1,"escalateDays":5}}}';
const READ_WITH = '{"owner":{"cted_review":{"dueDays":40,"reminderEveryDays":10,"escalateDays":60}}}';
const DAY = 86_400_000;

/**
 * `upcoming` and `nextDeadlineAt` are the deadlines the request's own timers will fire at: they
 * come from the configuration its workflow was started with (stored with the request), not from
 * the CTAP_DEADLINES of the API process that answers.
 */
describe('deadlines shown are the deadlines that fire', () => {
  let starting: TestStack | undefined;
  let reading: TestStack | undefined;
  afterAll(async () => {
    await reading?.close();
    await starting?.close();
  });

  it('reads the same dates through an API configured with other deadlines', async () => {
    starting = await startStack('deadlines-a', { env: { CTAP_DEADLINES: STARTED_WITH } });
    const submitted = await new Actor(starting, ACCOUNTS.kenya).submit();
    expect(submitted.status).toBe(201);
    const ref: string = submitted.body.reference;
    const cted = new Actor(starting, ACCOUNTS.cted);
    await waitFor(async () => (await cted.get(`/api/v1/requests/${ref}`)).body.timeline?.length === 1);
    const live = await starting.temporal.workflow.getHandle(requestWorkflowId(ref)).query(getRequestQuery);
    const timers = live.upcoming.map((t) => ({ kind: t.kind, at: new Date(t.at).toISOString() }));
    expect(timers[0].kind).toBe('owner_reminder');
    const submittedAt = Date.parse(submitted.body.submittedAt);
    expect(Math.abs(Date.parse(timers[0].at) - submittedAt - 3 * DAY)).toBeLessThan(60_000);

    // Another API process (another deployment's settings) answers for the same request.
    reading = await startStack('deadlines-b', { worker: false, env: { CTAP_DEADLINES: READ_WITH } });
    const detail = await new Actor(reading, ACCOUNTS.cted).get(`/api/v1/requests/${ref}`);
    expect(detail.status).toBe(200);
    expect(detail.body.upcoming.map((t: { kind: string; at: string }) => ({ kind: t.kind, at: t.at }))).toEqual(timers);
    expect(detail.body.nextDeadlineAt).toBe(timers[0].at);
  });
});
