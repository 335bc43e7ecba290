import { MANDATORY_KINDS, NotificationKind, notificationsFor } from './notifications';
import { Role } from './stage';

const ctx = { memberState: 'KEN', stream: 'request' as const };
const ev = (type: string, payload: Record<string, unknown> = {}, role = 'system') => ({
  type,
  actor: { role },
  payload,
});

describe('notificationsFor', () => {
  it('tells CTED officers and the State that a request was received', () => {
    expect(notificationsFor(ev('submitted', { origin: 'member_state' }), ctx)).toEqual([
      {
        kind: NotificationKind.RequestReceived,
        recipients: [
          { kind: 'role', role: Role.CtedOfficer },
          { kind: 'state', memberState: 'KEN' },
        ],
        params: { origin: 'member_state' },
      },
    ]);
  });

  it('sends what the State must act on to the State only, and never free text', () => {
    const [info] = notificationsFor(
      ev('request_information', { questions: ['secret question?'] }, 'cted_officer'),
      ctx,
    );
    expect(info.kind).toBe(NotificationKind.InformationRequested);
    expect(info.recipients).toEqual([{ kind: 'state', memberState: 'KEN' }]);
    expect(JSON.stringify(info.params)).not.toContain('secret');
    expect(notificationsFor(ev('evaluation_questionnaire_issued'), ctx)[0].kind).toBe(NotificationKind.EvaluationDue);
  });

  it('sends owner reminders, overdue and escalation to the stage owner role', () => {
    for (const type of ['deadline_reminder', 'overdue', 'escalated']) {
      const [n] = notificationsFor(ev(type, { stage: 'unodc_planning', owner: 'unodc_manager', reminder: 1 }), ctx);
      expect(n.recipients).toEqual([{ kind: 'role', role: Role.UnodcManager }]);
    }
    expect(notificationsFor(ev('escalated', { owner: 'cted_officer' }), ctx)[0].kind).toBe(NotificationKind.Escalation);
  });

  it('names the supervisor role on an escalation', () => {
    const [n] = notificationsFor(
      ev('escalated', { stage: 'cted_review', owner: 'cted_officer', escalatedTo: 'cted_supervisor' }),
      ctx,
    );
    expect(n.params).toEqual({ stage: 'cted_review', escalatedTo: 'cted_supervisor' });
  });

  it("reminds CTED of an external referral's outcome, and escalates it, naming the referral", () => {
    const base = { stage: 'unodc_planning', owner: 'cted_officer', referralId: 'ref-2' };
    const kinds = ['referral_overdue', 'referral_reminder', 'referral_escalated'].map((type) => {
      const [n] = notificationsFor(ev(type, { ...base, reminder: 1, escalatedTo: 'cted_supervisor' }), ctx);
      expect(n.recipients).toEqual([{ kind: 'role', role: Role.CtedOfficer }]);
      expect(n.params.referralId).toBe('ref-2');
      return n.kind;
    });
    expect(kinds).toEqual([NotificationKind.Overdue, NotificationKind.Reminder, NotificationKind.Escalation]);
  });

  it('marks every notification of an urgent request as urgent, and only those', () => {
    const urgent = notificationsFor(ev('submitted', { origin: 'member_state' }), { ...ctx, urgent: true });
    expect(urgent[0].params).toEqual({ origin: 'member_state', urgent: true });
    expect(notificationsFor(ev('submitted', { origin: 'member_state' }), ctx)[0].params).toEqual({
      origin: 'member_state',
    });
  });

  it('never addresses every member State through a role', () => {
    const [n] = notificationsFor(ev('deadline_reminder', { owner: 'member_state' }), ctx);
    expect(n.recipients).toEqual([{ kind: 'state', memberState: 'KEN' }]);
    for (const type of ['submitted', 'closed', 'approve_plan', 'state_reminder', 'propose_plan']) {
      for (const intent of notificationsFor(ev(type, { owner: 'x' }), ctx)) {
        expect(intent.recipients).not.toContainEqual({ kind: 'role', role: Role.MemberState });
      }
    }
  });

  it('notifies an activity cancellation once: from the activity stream, not its echo on the request', () => {
    expect(notificationsFor(ev('activity_cancelled', { reason: 'x' }), { ...ctx, stream: 'activity' })).toHaveLength(1);
    expect(notificationsFor(ev('activity_cancelled', { key: 'a1', status: 'cancelled' }), ctx)).toHaveLength(0);
  });

  it('ignores bookkeeping events', () => {
    expect(notificationsFor(ev('stage_changed', { from: 'a', to: 'b' }), ctx)).toEqual([]);
    expect(MANDATORY_KINDS).toEqual([NotificationKind.InformationRequested, NotificationKind.EvaluationDue]);
  });
});
