import {
  ACCOUNTS,
  activity,
  actors,
  deliveredReport,
  kenyanRequest,
  requestInDelivery,
  unique,
  waitFor,
} from './api-fixtures';
import { skipEarlierEmails } from './support/email-outbox';
import { SmtpSink } from './support/smtp-sink';
import { startStack, TestStack } from './support/test-stack';

jest.setTimeout(240_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

const APP = 'https://ctap.test.example';
// A "day" of 200 ms: the evaluation questionnaire leaves 6 s after delivery, an ignored review is
// overdue after 6 s and escalated after 9 s.
const DAY_MS = 200;

/**
 * The whole chain on real servers: decisions over HTTP -> events and outbox rows in one
 * transaction -> the worker's dispatcher -> nodemailer -> an SMTP server started here.
 */
describe('notifications: e-mail over SMTP and in-app, to the right people in their language', () => {
  const sink = new SmtpSink();
  let stack: TestStack;
  let a: ReturnType<typeof actors>;
  const frOfficer = `${unique('cted-fr')}@ctap.local`;
  const esFocal = `${unique('ken-es')}@ctap.local`;
  let esFocalId = '';

  beforeAll(async () => {
    await skipEarlierEmails();
    await sink.start();
    stack = await startStack('notify', {
      env: {
        SMTP_URL: sink.url,
        MAIL_FROM: 'CTAP <no-reply@ctap.test>',
        APP_BASE_URL: APP,
        NOTIFY_POLL_MS: '100',
        CTAP_DEADLINES: JSON.stringify({ dayMs: DAY_MS }),
      },
    });
    a = actors(stack);
    for (const [email, role, memberState, lang] of [
      [frOfficer, 'cted_officer', undefined, 'fr'],
      [esFocal, 'member_state', 'KEN', 'es'],
    ] as const) {
      const res = await a.admin.post('/api/v1/users', {
        email,
        displayName: `${role} ${lang}`,
        password: 'Notify-Test-Pass-2026!',
        role,
        ...(memberState ? { memberState } : {}),
      });
      expect(res.status).toBe(201);
      await stack.ds.query('UPDATE users SET preferred_language = $2 WHERE id = $1', [res.body.id, lang]);
      if (lang === 'es') esFocalId = res.body.id;
    }
    // The Spanish-speaking focal point takes plan proposals as a daily digest.
    await stack.ds.query(
      `INSERT INTO notification_preferences (user_id, kind, mode) VALUES ($1, 'plan_proposed', 'daily_digest')`,
      [esFocalId],
    );
  });
  afterAll(async () => {
    await stack?.close();
    await sink.close();
  });

  const kinds = (reference: string, to: string) =>
    sink
      .about(reference)
      .filter((m) => m.to.includes(to))
      .map((m) => m.headers['x-ctap-kind'])
      .sort();

  it('a Kenyan request: CTED officers are e-mailed and notified in-app the moment it is submitted', async () => {
    const submitted = await a.kenya.submit(kenyanRequest());
    expect(submitted.status).toBe(201);
    const ref: string = submitted.body.reference;
    // Other test files may have added CTED officers to the shared database: wait for these four.
    await waitFor(
      'request_received e-mails',
      async () =>
        [ACCOUNTS.cted, frOfficer, ACCOUNTS.kenya, esFocal].every((to) =>
          sink.about(ref).some((m) => m.to.includes(to)),
        ),
      30_000,
    );
    expect(kinds(ref, ACCOUNTS.cted)).toEqual(['request_received']);
    expect(kinds(ref, frOfficer)).toEqual(['request_received']);
    // The State is told its request arrived; no other State hears of it.
    expect(kinds(ref, ACCOUNTS.kenya)).toEqual(['request_received']);
    expect(kinds(ref, ACCOUNTS.indonesia)).toEqual([]);

    const french = sink.about(ref).find((m) => m.to.includes(frOfficer))!;
    expect(french.headers['content-language']).toBe('fr');
    expect(french.subject).toBe(`Nouvelle demande d'assistance ${ref}`);
    expect(french.text).toContain(`${APP}/requests/${ref}`);
    expect(french.html).toContain(`<a href="${APP}/requests/${ref}">Ouvrir la demande</a>`);
    const english = sink.about(ref).find((m) => m.to.includes(ACCOUNTS.cted))!;
    expect(english.subject).toBe(`New assistance request ${ref}`);
    expect(english.messageId).toMatch(/^<ctap\.\d+\.[0-9a-f-]{36}@ctap\.test>$/);
    const spanish = sink.about(ref).find((m) => m.to.includes(esFocal))!;
    expect(spanish.subject).toBe(`Nueva solicitud de asistencia ${ref}`);

    // In-app: the officer's list has it, unread first; another user cannot read it.
    const list = await a.cted.get('/api/v1/notifications?limit=100');
    expect(list.status).toBe(200);
    const mine = list.body.items.find((n: { reference: string }) => n.reference === ref);
    expect(mine).toMatchObject({ kind: 'request_received', readAt: null });
    expect(list.body.unreadCount).toBeGreaterThanOrEqual(1);
    expect((await a.indonesia.post(`/api/v1/notifications/${mine.id}/read`)).status).toBe(404);
    const read = await a.cted.post(`/api/v1/notifications/${mine.id}/read`);
    expect(read.status).toBe(200);
    // Read ones come after every unread one: earlier tests may leave the officer more than a page of those.
    const seen: { id: string; readAt: string | null }[] = [];
    for (let cursor = ''; ;) {
      const page = await a.cted.get(`/api/v1/notifications?limit=100${cursor && `&cursor=${cursor}`}`);
      seen.push(...page.body.items);
      if (seen.some((n) => n.id === mine.id) || !page.body.nextCursor) break;
      cursor = encodeURIComponent(page.body.nextCursor);
    }
    expect(seen.find((n) => n.id === mine.id)?.readAt).toEqual(expect.any(String));
    expect(
      (await a.indonesia.get('/api/v1/notifications?limit=100')).body.items.filter(
        (n: { reference: string }) => n.reference === ref,
      ),
    ).toEqual([]);
    await a.kenya.decide(ref, 'withdraw', { reason: 'Seen enough' });
  });

  it('a full lifecycle: each (event, recipient) e-mailed once, to the right people, digests held back', async () => {
    const ref = await requestInDelivery(stack, [activity('a1'), activity('a2', { budgetUsd: 15000 })]);
    const path = `/api/v1/requests/${ref}`;
    // Moved earlier: the delivery below (deliveredReport, 2026-03-03) may not precede its start.
    const reschedule = await a.unodc.post(`${path}/activities/a1/actions/reschedule`, {
      startDate: '2026-02-20',
      endDate: '2026-02-21',
      reason: 'Parliament sits',
    });
    expect(reschedule.status).toBe(200);
    expect((await a.unodc.post(`${path}/activities/a2/actions/cancel`, { reason: 'Merged into a1' })).status).toBe(200);
    expect((await a.unodc.post(`${path}/activities/a1/actions/report-delivered`, deliveredReport)).status).toBe(200);
    await waitFor('both activities finished', async () => {
      const res = await a.unodc.get(path);
      return res.body.state?.activities?.every((x: { status: string }) => x.status !== 'scheduled');
    });
    await a.cted.decide(ref, 'record-referral-outcome', { referralId: 'ref-2', delivered: true, notes: 'IMF did it' });
    await a.unodc.decide(ref, 'complete-delivery', {});
    // Issued by a timer 30 test days (6 s) after completion, then stored and dispatched: a loaded
    // machine (a full run with a bench beside it) took more than the default 20 s.
    await waitFor(
      'the evaluation questionnaire e-mail',
      async () => kinds(ref, ACCOUNTS.kenya).includes('evaluation_due'),
      60_000,
    );
    await a.kenya.decide(ref, 'submit-evaluation', { relevance: 5, usefulness: 4, comments: 'Useful' });
    await waitFor('the closure e-mails', async () => kinds(ref, ACCOUNTS.cted).includes('request_closed'), 60_000);

    // Every outbox row of the request was sent once, and nothing else was sent.
    await waitFor('the outbox to drain', async () => {
      const [r] = await stack.ds.query(
        `SELECT count(*)::int AS n FROM email_outbox o JOIN assistance_requests r ON r.id = o.request_id
          WHERE r.reference = $1 AND o.status = 'pending' AND o.mode = 'immediate'`,
        [ref],
      );
      return r.n === 0;
    });
    const sent: { message_id: string }[] = await stack.ds.query(
      `SELECT o.message_id FROM email_outbox o JOIN assistance_requests r ON r.id = o.request_id
        WHERE r.reference = $1 AND o.status = 'sent'`,
      [ref],
    );
    const received = sink.about(ref);
    expect(received.map((m) => m.messageId).sort()).toEqual(sent.map((s) => s.message_id).sort());
    expect(new Set(received.map((m) => m.messageId)).size).toBe(received.length);

    // What the decisions caused; the clock's reminders depend on this test's pace (a "day" is 200 ms
    // here, so a slow machine sees a plan-agreement reminder) and are checked in "an ignored review".
    const CLOCK_KINDS = ['reminder', 'overdue', 'escalation'];
    const decided = (to: string) => kinds(ref, to).filter((k) => !CLOCK_KINDS.includes(k));
    expect(decided(ACCOUNTS.kenya)).toEqual([
      'activity_cancelled',
      'activity_rescheduled',
      'evaluation_due',
      'plan_approved',
      'plan_proposed',
      'request_closed',
      'request_received',
    ]);
    // The digest reader got no immediate plan proposal.
    expect(kinds(ref, esFocal)).not.toContain('plan_proposed');
    expect(decided(ACCOUNTS.cted)).toEqual(['plan_approved', 'request_closed', 'request_received']);
    expect(decided(ACCOUNTS.unodc)).toEqual(['plan_responded']);
    expect(kinds(ref, ACCOUNTS.indonesia)).toEqual([]);
    expect(received.every((m) => m.to.length === 1)).toBe(true);

    // The digest leaves at the digest hour; brought forward, it arrives as one message.
    const held = await stack.ds.query(
      `SELECT next_attempt_at FROM email_outbox WHERE user_id = $1 AND mode = 'daily_digest' AND status = 'pending'`,
      [esFocalId],
    );
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(new Date(held[0].next_attempt_at).getUTCHours()).toBe(6);
    await stack.ds.query(
      `UPDATE email_outbox SET next_attempt_at = now() WHERE user_id = $1 AND mode = 'daily_digest' AND status = 'pending'`,
      [esFocalId],
    );
    const digest = await waitFor('the digest', async () =>
      sink.messages.find((m) => m.to.includes(esFocal) && m.headers['x-ctap-kind'] === 'digest'),
    );
    expect(digest.subject).toMatch(/^Resumen diario de CTAP/);
    expect(digest.text).toContain(`${APP}/requests/${ref}`);
  });

  it('an ignored review: overdue and reminders reach the stage owner role, the escalation its supervisors', async () => {
    const submitted = await a.kenya.submit(kenyanRequest());
    const ref: string = submitted.body.reference;
    await waitFor(
      'the escalation to the CTED supervisor',
      async () =>
        kinds(ref, ACCOUNTS.ctedSupervisor).includes('escalation') && kinds(ref, frOfficer).includes('overdue'),
      30_000,
    );
    // Reminders end: at most 3, none after the escalation (15 more "days" bring nothing new).
    await new Promise((r) => setTimeout(r, 15 * DAY_MS));
    const count = (to: string, kind: string) => kinds(ref, to).filter((k) => k === kind).length;
    // Officers: 1 overdue, 3 reminders; the one escalation goes to the supervisor (unassigned request).
    expect([count(ACCOUNTS.cted, 'overdue'), count(ACCOUNTS.cted, 'reminder')]).toEqual([1, 3]);
    expect(count(ACCOUNTS.ctedSupervisor, 'escalation')).toBe(1);
    await a.kenya.decide(ref, 'withdraw', { reason: 'Test over' });
    const cted = kinds(ref, ACCOUNTS.cted);
    expect(cted).toEqual(expect.arrayContaining(['overdue', 'reminder', 'request_received']));
    expect(kinds(ref, frOfficer)).toEqual(expect.arrayContaining(['overdue', 'reminder']));
    // Unassigned: the escalation goes to CTED's supervisors, not to every officer (assignment.ts).
    expect(cted).not.toContain('escalation');
    expect(kinds(ref, ACCOUNTS.ctedSupervisor)).toContain('escalation');
    expect(kinds(ref, ACCOUNTS.kenya).filter((k) => ['overdue', 'reminder', 'escalation'].includes(k))).toEqual([]);
    expect(kinds(ref, ACCOUNTS.unodc)).toEqual([]);
  });

  it('an escalation reaches the officers when CTED has no active supervisor', async () => {
    // Other files do not run meanwhile (one Jest process); the supervisors are reactivated after.
    const supervisors: { id: string }[] = await stack.ds.query(
      `SELECT id FROM users WHERE role = 'cted_supervisor' AND active`,
    );
    expect(supervisors.length).toBeGreaterThan(0);
    await stack.ds.query('UPDATE users SET active = false WHERE id = ANY($1::uuid[])', [supervisors.map((u) => u.id)]);
    try {
      const ref: string = (await a.kenya.submit(kenyanRequest())).body.reference;
      await waitFor(
        'the escalation to the CTED officers',
        async () => kinds(ref, ACCOUNTS.cted).includes('escalation'),
        30_000,
      );
      expect(kinds(ref, ACCOUNTS.ctedSupervisor)).not.toContain('escalation');
      await a.kenya.decide(ref, 'withdraw', { reason: 'Test over' });
    } finally {
      await stack.ds.query('UPDATE users SET active = true WHERE id = ANY($1::uuid[])', [supervisors.map((u) => u.id)]);
    }
  });

  it('preferences: per kind, mandatory kinds cannot be switched off', async () => {
    const get = await a.kenya.get('/api/v1/me/notification-preferences');
    expect(get.status).toBe(200);
    expect(get.body.preferences).toContainEqual({ kind: 'information_requested', mode: 'immediate', mandatory: true });
    const off = await stack.http
      .put('/api/v1/me/notification-preferences')
      .set('Authorization', `Bearer ${await stack.tokenFor(ACCOUNTS.kenya)}`)
      .send({ preferences: [{ kind: 'information_requested', mode: 'off' }] });
    expect(off.status).toBe(400);
    expect(off.body.errors).toEqual([
      {
        field: 'preferences[0].mode',
        reason: 'information_requested is mandatory and cannot be switched off',
        rule: 'invalid',
      },
    ]);
    const digest = await stack.http
      .put('/api/v1/me/notification-preferences')
      .set('Authorization', `Bearer ${await stack.tokenFor(ACCOUNTS.kenya)}`)
      .send({ preferences: [{ kind: 'reminder', mode: 'off' }] });
    expect(digest.status).toBe(200);
    expect(digest.body.preferences).toContainEqual({ kind: 'reminder', mode: 'off', mandatory: false });
    await stack.ds.query(
      `DELETE FROM notification_preferences WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      [ACCOUNTS.kenya],
    );
  });
});
