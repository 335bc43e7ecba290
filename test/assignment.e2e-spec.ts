import { ACCOUNTS, actors, kenyanRequest, unique, waitFor } from './api-fixtures';
import { skipEarlierEmails } from './support/email-outbox';
import { SmtpSink } from './support/smtp-sink';
import { startStack, TestStack } from './support/test-stack';

jest.setTimeout(240_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

// A "day" of 200 ms: an ignored review is overdue after 6 s and escalated after 9 s.
const DAY_MS = 200;

/**
 * Assignment on real servers (issue 12, items 1 and 2): claim, assign and unassign over HTTP, the
 * assignee in rows and filters, and the recipients of the notifications they change, read from the
 * e-mails an SMTP server started here receives and from the in-app list.
 */
describe('assignment: claim, assign, unassign, and who is told', () => {
  const sink = new SmtpSink();
  let stack: TestStack;
  let a: ReturnType<typeof actors>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await skipEarlierEmails();
    await sink.start();
    stack = await startStack('assign', {
      env: {
        SMTP_URL: sink.url,
        MAIL_FROM: 'CTAP <no-reply@ctap.test>',
        APP_BASE_URL: 'https://ctap.test.example',
        NOTIFY_POLL_MS: '100',
        CTAP_DEADLINES: JSON.stringify({ dayMs: DAY_MS }),
      },
    });
    a = actors(stack);
    const rows: { email: string; id: string }[] = await stack.ds.query(
      'SELECT email, id::text AS id FROM users WHERE email = ANY($1)',
      [Object.values(ACCOUNTS)],
    );
    for (const r of rows) ids[r.email] = r.id;
  });
  afterAll(async () => {
    await stack?.close();
    await sink.close();
  });

  /** Kinds e-mailed to `to` about `ref`, sorted. */
  const mailed = (ref: string, to: string) =>
    sink
      .about(ref)
      .filter((m) => m.to.includes(to))
      .map((m) => m.headers['x-ctap-kind'])
      .sort();
  /** In-app notifications of one kind about `ref`: the e-mail addresses they went to. */
  const notified = async (ref: string, kind: string): Promise<string[]> =>
    (
      await stack.ds.query(
        `SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.reference = $1 AND n.kind = $2 ORDER BY u.email`,
        [ref, kind],
      )
    ).map((r: { email: string }) => r.email);

  async function submitted(): Promise<string> {
    const res = await a.kenya.submit(kenyanRequest(`Assignment ${unique()}`));
    expect(res.status).toBe(201);
    return res.body.reference;
  }

  it('an officer claims a request: it shows as theirs in the request, the list and the work queue', async () => {
    const ref = await submitted();
    const before = await a.cted.get(`/api/v1/requests/${ref}`);
    expect(before.body.assignee).toBeNull();
    expect(before.body.allowedActions).toEqual(expect.arrayContaining(['refer_needs', 'claim']));
    expect(before.body.allowedActions).not.toContain('assign');
    const sup = await a.ctedSupervisor.get(`/api/v1/requests/${ref}`);
    expect(sup.body.allowedActions).toEqual(expect.arrayContaining(['refer_needs', 'claim', 'assign']));
    // UNODC cannot claim a request CTED is reviewing.
    const early = await a.unodc.post(`/api/v1/requests/${ref}/actions/claim`, {});
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('ASSIGNMENT_CONFLICT');

    const claimed = await a.cted.decide(ref, 'claim', { decisionId: 'claim-1' });
    expect(claimed.body.assignee).toEqual({ id: ids[ACCOUNTS.cted], displayName: 'CTED Officer' });
    expect(claimed.body.allowedActions).toContain('unassign');
    expect(claimed.body.allowedActions).not.toContain('claim');
    // A retry with the same decisionId is the same decision; another officer's claim is a conflict.
    expect((await a.cted.decide(ref, 'claim', { decisionId: 'claim-1' })).body.assignee.id).toBe(ids[ACCOUNTS.cted]);
    const second = await a.cted2.post(`/api/v1/requests/${ref}/actions/claim`, {});
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('ASSIGNMENT_CONFLICT');
    const events = claimed.body.timeline.filter((e: { type: string }) => e.type === 'assignment_changed');
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({ action: 'claim', body: 'cted', assigneeId: ids[ACCOUNTS.cted] });

    const mine = await a.cted.get('/api/v1/work-queue?assignee=me&limit=100');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((r: { reference: string }) => r.reference)).toContain(ref);
    expect(mine.body.items.every((r: { assignee: { id: string } }) => r.assignee.id === ids[ACCOUNTS.cted])).toBe(true);
    const unassigned = await a.cted.get('/api/v1/work-queue?assignee=unassigned&limit=100');
    expect(unassigned.body.items.map((r: { reference: string }) => r.reference)).not.toContain(ref);
    expect(unassigned.body.items.every((r: { assignee: unknown }) => r.assignee === null)).toBe(true);
    // The supervisor's queue is CTED's; the list filters by any user's id.
    const supQueue = await a.ctedSupervisor.get(`/api/v1/work-queue?assignee=${ids[ACCOUNTS.cted]}&limit=100`);
    expect(supQueue.body.items.map((r: { reference: string }) => r.reference)).toContain(ref);
    const listed = await a.unodc.get(`/api/v1/requests?q=${ref}&assignee=${ids[ACCOUNTS.cted]}`);
    expect(listed.body.items).toEqual([expect.objectContaining({ reference: ref, assignee: claimed.body.assignee })]);
    expect((await a.cted2.get(`/api/v1/requests?q=${ref}&assignee=me`)).body.items).toEqual([]);
    const bad = await a.cted.get('/api/v1/requests?assignee=someone');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('assignee');

    // The holder gives it back.
    const back = await a.cted.decide(ref, 'unassign', {});
    expect(back.body.assignee).toBeNull();
    await a.kenya.decide(ref, 'withdraw', { reason: 'Test over' });
  });

  it("a focal point never sees assignment, never reaches another State's request, and can never be assigned", async () => {
    const ref = await submitted();
    await a.cted.decide(ref, 'claim', {});
    const own = await a.kenya.get(`/api/v1/requests/${ref}`);
    expect(own.status).toBe(200);
    expect(own.body.assignee).toBeNull();
    expect(own.body.state.assignees).toBeUndefined();
    expect(own.body.allowedActions).not.toContain('claim');
    const listed = await a.kenya.get(`/api/v1/requests?q=${ref}`);
    expect(listed.body.items[0].assignee).toBeNull();
    const filter = await a.kenya.get('/api/v1/requests?assignee=me');
    expect(filter.status).toBe(400);
    expect(filter.body.errors).toEqual([
      { field: 'assignee', reason: 'assignment is not shown to focal points', rule: 'invalid' },
    ]);
    expect((await a.kenya.get('/api/v1/work-queue?assignee=unassigned')).status).toBe(400);
    // Another State: not found, whatever the route; assignment routes refuse focal points outright.
    expect((await a.indonesia.get(`/api/v1/requests/${ref}`)).status).toBe(404);
    expect((await a.indonesia.post(`/api/v1/requests/${ref}/actions/claim`, {})).status).toBe(403);
    expect((await a.kenya.post(`/api/v1/requests/${ref}/actions/claim`, {})).status).toBe(403);
    // A focal point, a user of the other body, a deactivated officer, an unknown id: not assignable.
    const created = await a.admin.post('/api/v1/users', {
      email: `${unique('gone')}@ctap.local`,
      displayName: 'Departed officer',
      password: 'Departed-Officer-2026!',
      role: 'cted_officer',
    });
    expect(created.status).toBe(201);
    expect((await a.admin.post(`/api/v1/users/${created.body.id}/actions/deactivate`, {})).status).toBe(200);
    for (const assigneeId of [
      ids[ACCOUNTS.kenya],
      ids[ACCOUNTS.indonesia],
      ids[ACCOUNTS.unodc],
      created.body.id,
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const res = await a.ctedSupervisor.post(`/api/v1/requests/${ref}/actions/assign`, { assigneeId });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'INVALID_ASSIGNEE',
        errors: [expect.objectContaining({ field: 'assigneeId' })],
      });
    }
    // Only a supervisor assigns: an officer is refused by role.
    expect(
      (await a.cted.post(`/api/v1/requests/${ref}/actions/assign`, { assigneeId: ids[ACCOUNTS.cted2] })).status,
    ).toBe(403);
    const users = await a.ctedSupervisor.get(`/api/v1/requests/${ref}/assignable-users`);
    expect(users.status).toBe(200);
    const roles = new Set(users.body.items.map((u: { role: string }) => u.role));
    expect([...roles].sort()).toEqual(['cted_officer', 'cted_supervisor']);
    expect(users.body.items.map((u: { id: string }) => u.id)).not.toContain(created.body.id);
    expect((await a.unodcSupervisor.get(`/api/v1/requests/${ref}/assignable-users`)).body.items).toEqual([]);
    await a.kenya.decide(ref, 'withdraw', { reason: 'Test over' });
  });

  it("a supervisor's assignment tells the assignee; work asking CTED to act then goes to them alone", async () => {
    const ref = await submitted();
    // Unassigned: the request reaches CTED's officers and supervisors, and the State.
    await waitFor(
      'request_received e-mails',
      async () =>
        [ACCOUNTS.cted, ACCOUNTS.cted2, ACCOUNTS.ctedSupervisor, ACCOUNTS.kenya].every((to) =>
          mailed(ref, to).includes('request_received'),
        ),
      30_000,
    );
    expect(mailed(ref, ACCOUNTS.unodc)).toEqual([]);
    expect(mailed(ref, ACCOUNTS.unodcSupervisor)).toEqual([]);

    await a.cted.decide(ref, 'claim', {});
    // A supervisor reassigns it: a recorded decision naming who held it before.
    const assigned = await a.ctedSupervisor.decide(ref, 'assign', { assigneeId: ids[ACCOUNTS.cted2] });
    expect(assigned.body.assignee).toEqual({ id: ids[ACCOUNTS.cted2], displayName: 'CTED Officer (second)' });
    const change = assigned.body.timeline.filter((e: { type: string }) => e.type === 'assignment_changed').pop();
    expect(change).toMatchObject({
      actorRole: 'cted_supervisor',
      payload: { action: 'assign', assigneeId: ids[ACCOUNTS.cted2], previousAssigneeId: ids[ACCOUNTS.cted] },
    });
    await waitFor('the assigned_to_you e-mail', async () => mailed(ref, ACCOUNTS.cted2).includes('assigned_to_you'));
    const mail = sink.about(ref).find((m) => m.headers['x-ctap-kind'] === 'assigned_to_you')!;
    expect(mail.subject).toBe(`Assigned to you: ${ref}`);
    expect(await notified(ref, 'assigned_to_you')).toEqual([ACCOUNTS.cted2]);
    const inApp = await a.cted2.get('/api/v1/notifications?limit=100');
    expect(inApp.body.items).toContainEqual(expect.objectContaining({ reference: ref, kind: 'assigned_to_you' }));
    // The one who claimed it (the actor of the claim) is told nothing about the claim or the reassignment.
    expect(mailed(ref, ACCOUNTS.cted)).not.toContain('assigned_to_you');

    // The State answers a question: only the assignee hears of it, nobody at UNODC, no other State.
    await a.cted2.decide(ref, 'request-information', { questions: ['Which ministry leads the drafting?'] });
    await a.kenya.decide(ref, 'provide-information', { answer: 'The Ministry of Justice' });
    await waitFor('information_provided', async () => (await notified(ref, 'information_provided')).length > 0);
    expect(await notified(ref, 'information_provided')).toEqual([ACCOUNTS.cted2]);
    const asked = await notified(ref, 'information_requested');
    expect(asked).toContain(ACCOUNTS.kenya);
    for (const other of [ACCOUNTS.indonesia, ACCOUNTS.cted, ACCOUNTS.cted2]) expect(asked).not.toContain(other);
    await waitFor('the information_provided e-mail', async () =>
      mailed(ref, ACCOUNTS.cted2).includes('information_provided'),
    );
    expect(mailed(ref, ACCOUNTS.cted)).not.toContain('information_provided');
    expect(mailed(ref, ACCOUNTS.ctedSupervisor)).not.toContain('information_provided');

    // Referred to UNODC: UNODC's assignment starts empty, CTED's is kept in the state.
    const referred = await a.cted2.decide(ref, 'refer-needs', {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads' }],
    });
    expect(referred.body.stage).toBe('unodc_planning');
    expect(referred.body.assignee).toBeNull();
    expect(referred.body.state.assignees.cted).toEqual({ userId: ids[ACCOUNTS.cted2], role: 'cted_officer' });
    const unodcQueue = await a.unodcSupervisor.get('/api/v1/work-queue?assignee=unassigned&limit=100');
    expect(unodcQueue.body.items.map((r: { reference: string }) => r.reference)).toContain(ref);
    await a.unodc.decide(ref, 'claim', {});
    await a.unodc.decide(ref, 'propose-plan', {
      activities: [
        {
          key: 'w1',
          title: 'National legislative drafting workshop',
          modality: 'national_legislative_drafting_workshop',
          thematicArea: 'legislative_incorporation',
          startDate: '2027-03-01',
          endDate: '2027-03-03',
          place: 'Nairobi',
          participatingStates: ['KEN'],
          partners: [],
          budgetUsd: 20000,
        },
      ],
    });
    await a.kenya.decide(ref, 'accept-plan', { planVersion: 1 });
    await waitFor('plan_responded', async () => (await notified(ref, 'plan_responded')).length > 0);
    expect(await notified(ref, 'plan_responded')).toEqual([ACCOUNTS.unodc]);
    await a.kenya.decide(ref, 'withdraw', { reason: 'Test over' });
  });

  it("an ignored, claimed review escalates to CTED's supervisors and the assignee, not to other officers", async () => {
    const ref = await submitted();
    await a.cted2.decide(ref, 'claim', {});
    await waitFor('the escalation', async () => (await notified(ref, 'escalation')).length > 0, 30_000);
    await a.kenya.decide(ref, 'withdraw', { reason: 'Test over' });
    const escalated = await notified(ref, 'escalation');
    expect(escalated).toEqual(expect.arrayContaining([ACCOUNTS.ctedSupervisor, ACCOUNTS.cted2]));
    expect(escalated).not.toContain(ACCOUNTS.cted);
    expect(escalated).not.toContain(ACCOUNTS.unodcSupervisor);
    // Reminders and overdue go to the assignee alone.
    for (const kind of ['reminder', 'overdue'])
      expect({ kind, to: [...new Set(await notified(ref, kind))] }).toEqual({ kind, to: [ACCOUNTS.cted2] });
  });
});
