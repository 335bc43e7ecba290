/**
 * Deadlines: owner reminders, overdue, escalation; the owner's clock that stops while the
 * request waits on the State; reminders to the State; lapse and evaluation closure.
 *
 * Every expected time below is worked out by hand from the default numbers
 * (days × 86,400,000 ms), never by asking the functions under test.
 */
import {
  Actor,
  CURRENT_TIMER_RULES,
  DEFAULT_DEADLINES,
  DeadlineConfig,
  Decision,
  DecisionPayloads,
  DecisionType,
  DomainEvent,
  Outcome,
  PlannedActivity,
  RequestState,
  Role,
  ScheduledTimer,
  Stage,
  TimerKind,
  applyDecision,
  applyTimer,
  deadlinesFor,
  initialState,
  mergeDeadlines,
  nextTimer,
  ownerOverdue,
  upcomingTimers,
  validateDecision,
  withTimerRules,
} from './index';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 8, 30, 0);
const day = (n: number) => T0 + n * DAY;

const KEN: Actor = { userId: 'u-ken', role: Role.MemberState, memberState: 'KEN' };
const CTED: Actor = { userId: 'u-cted', role: Role.CtedOfficer };
const UNODC: Actor = { userId: 'u-unodc', role: Role.UnodcManager };

const ACTIVITIES: PlannedActivity[] = [
  {
    key: 'A1',
    title: 'National legislative drafting workshop',
    modality: 'national_legislative_drafting_workshop',
    thematicArea: 'legislative_incorporation',
    startDate: '2026-09-01',
    endDate: '2026-09-03',
    place: 'Nairobi',
    participatingStates: ['KEN'],
    partners: [],
    budgetUsd: 30_000,
  },
];

interface Fired {
  kind: TimerKind;
  at: number;
  events: DomainEvent[];
}

class Timeline {
  readonly state: RequestState;
  private seq = 0;

  constructor(readonly cfg: DeadlineConfig = DEFAULT_DEADLINES) {
    this.state = initialState({
      requestId: '00000000-0000-4000-8000-0000000000aa',
      reference: 'CTAP-2026-0042',
      title: 'Counter-terrorism legislation review',
      memberState: 'KEN',
      region: 'Africa',
      origin: 'member_state',
      needs: [
        {
          id: 'need-1',
          thematicArea: 'legislative_incorporation',
          description: 'Review the draft bill',
          modalities: [],
        },
      ],
      submittedAt: T0,
    });
  }

  decide<T extends DecisionType>(at: number, type: T, actor: Actor, payload: DecisionPayloads[T]): this {
    const d = { decisionId: `d-${++this.seq}`, type, actor, payload } as Decision;
    validateDecision(this.state, d);
    applyDecision(this.state, d, at);
    return this;
  }

  /** Fires every timer due up to `until`, earliest first, as the workflow's loop does. */
  runUntil(until: number): Fired[] {
    const fired: Fired[] = [];
    for (let guard = 0; guard < 1000; guard++) {
      const t = nextTimer(this.state, this.cfg);
      if (!t || t.at > until) return fired;
      fired.push({ kind: t.kind, at: t.at, events: applyTimer(this.state, t, t.at) });
    }
    throw new Error('timers did not settle');
  }

  upcoming(): ScheduledTimer[] {
    return upcomingTimers(this.state, this.cfg);
  }

  // --- ways to reach each stage at chosen times -------------------------------------------
  refer(at: number): this {
    return this.decide(at, 'refer_needs', CTED, {
      referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB core work' }],
    });
  }
  referExternally(at: number): this {
    return this.decide(at, 'refer_needs', CTED, {
      referrals: [{ needIds: ['need-1'], provider: { kind: 'external', name: 'Council of Europe' }, rationale: 'r' }],
    });
  }
  propose(at: number): this {
    return this.decide(at, 'propose_plan', UNODC, { activities: ACTIVITIES });
  }
  accept(at: number): this {
    return this.decide(at, 'accept_plan', KEN, { planVersion: this.state.plan!.version });
  }
  approve(at: number): this {
    this.decide(at, 'record_cted_consultation', UNODC, { summary: 'consulted' });
    return this.decide(at, 'approve_plan', UNODC, {});
  }
  fund(at: number): this {
    return this.decide(at, 'record_funding', UNODC, { pledgeRef: 'PL-1', donor: 'Norway', amountUsd: 30_000 });
  }
  deliverAll(): this {
    for (const a of this.state.activities) Object.assign(a, { status: 'delivered', officialsTrained: 18 });
    return this;
  }
  completeDelivery(at: number): this {
    return this.decide(at, 'complete_delivery', UNODC, {});
  }
}

const kinds = (fired: Fired[]) => fired.map((f) => [f.kind, f.at]);
const types = (events: DomainEvent[]) => events.map((e) => e.type);

describe('default deadlines', () => {
  it('are the documented numbers', () => {
    expect(DEFAULT_DEADLINES).toEqual({
      owner: {
        cted_review: { dueDays: 30, reminderEveryDays: 7, escalateDays: 45, maxReminders: 3 },
        external_referral: { dueDays: 180, reminderEveryDays: 30, escalateDays: 270, maxReminders: 3 },
        unodc_planning: { dueDays: 60, reminderEveryDays: 14, escalateDays: 90, maxReminders: 3 },
        awaiting_funding: { dueDays: 120, reminderEveryDays: 30, escalateDays: 180, maxReminders: 3 },
        delivery: { dueDays: 365, reminderEveryDays: 30, escalateDays: 455, maxReminders: 3 },
      },
      referral: { dueDays: 180, reminderEveryDays: 30, escalateDays: 270, maxReminders: 3 },
      information: { reminderEveryDays: 14, maxReminders: 3, lapseAfterLastReminderDays: 14 },
      planAgreement: { reminderEveryDays: 14, maxReminders: 4 },
      evaluation: { issueAfterDays: 30, reminderEveryDays: 21, maxReminders: 2, closeAfterIssueDays: 90 },
      urgent: {
        owner: {
          cted_review: { dueDays: 10, reminderEveryDays: 2, escalateDays: 15 },
          external_referral: { dueDays: 90, reminderEveryDays: 14, escalateDays: 135 },
          unodc_planning: { dueDays: 20, reminderEveryDays: 5, escalateDays: 30 },
          awaiting_funding: { dueDays: 45, reminderEveryDays: 14, escalateDays: 75 },
          delivery: { dueDays: 180, reminderEveryDays: 14, escalateDays: 225 },
        },
        referral: { dueDays: 90, reminderEveryDays: 14, escalateDays: 135 },
        information: { reminderEveryDays: 7, lapseAfterLastReminderDays: 7 },
        planAgreement: { reminderEveryDays: 7 },
      },
    });
  });
});

// The tests below without `timerRules` run by timer rules 1 (workflows started before the patch);
// 'timer rules 2' further down covers the caps and the referral clocks of new runs.
describe('owner reminders, overdue and escalation', () => {
  it('CTED review: first reminder at 30 days sets overdue, then every 7 days; escalation once at 45 days', () => {
    const tl = new Timeline();
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_reminder', at: day(30) },
      { kind: 'owner_escalation', at: day(45) },
    ]);
    expect(nextTimer(tl.state, tl.cfg)).toEqual({ kind: 'owner_reminder', at: day(30) });

    expect(tl.runUntil(day(30) - 1)).toEqual([]);
    expect(tl.state.clock.overdue).toBe(false);

    const fired = tl.runUntil(day(60));
    expect(kinds(fired)).toEqual([
      ['owner_reminder', day(30)],
      ['owner_reminder', day(37)],
      ['owner_reminder', day(44)],
      ['owner_escalation', day(45)],
      ['owner_reminder', day(51)],
      ['owner_reminder', day(58)],
    ]);
    // Overdue is announced once, on the first reminder.
    expect(types(fired[0].events)).toEqual(['overdue', 'deadline_reminder']);
    expect(fired[0].events[0].payload).toEqual({ stage: Stage.CtedReview, owner: Role.CtedOfficer });
    expect(fired[0].events[1].payload).toEqual({ stage: Stage.CtedReview, owner: Role.CtedOfficer, reminder: 1 });
    expect(types(fired[1].events)).toEqual(['deadline_reminder']);
    expect(fired[1].events[0].payload).toMatchObject({ reminder: 2 });
    expect(types(fired[3].events)).toEqual(['escalated']);
    expect(fired[3].events[0].payload).toEqual({
      stage: Stage.CtedReview,
      owner: Role.CtedOfficer,
      escalatedTo: 'cted_supervisor',
    });
    expect(fired.flatMap((f) => f.events).filter((e) => e.type === 'overdue')).toHaveLength(1);
    expect(
      fired.every((f) => f.events.every((e) => e.actor.role === Role.System && e.at === new Date(f.at).toISOString())),
    ).toBe(true);

    expect(tl.state.clock).toMatchObject({ remindersSent: 5, overdue: true, escalated: true });
    // Escalation happens once: it is no longer scheduled.
    expect(tl.upcoming()).toEqual([{ kind: 'owner_reminder', at: day(65) }]);
    expect(tl.state.stage).toBe(Stage.CtedReview);
  });

  // [stage, how to get there (returns the time the stage was entered), dueDays, reminderEveryDays, escalateDays]
  const stages: [Stage, (tl: Timeline) => number, number, number, number][] = [
    [Stage.ExternalReferral, (tl) => (tl.referExternally(day(3)), day(3)), 180, 30, 270],
    [Stage.UnodcPlanning, (tl) => (tl.refer(day(3)), day(3)), 60, 14, 90],
    [
      Stage.AwaitingFunding,
      (tl) => (tl.refer(day(3)).propose(day(5)).accept(day(9)).approve(day(12)), day(12)),
      120,
      30,
      180,
    ],
    [
      Stage.Delivery,
      (tl) => (tl.refer(day(3)).propose(day(5)).accept(day(9)).approve(day(12)).fund(day(20)), day(20)),
      365,
      30,
      455,
    ],
  ];

  it.each(stages)(
    '%s: reminders from dueDays every reminderEveryDays, escalation at escalateDays',
    (stage, reach, due, every, escalate) => {
      const tl = new Timeline();
      const entered = reach(tl);
      expect(tl.state.stage).toBe(stage);
      expect(tl.state.clock).toMatchObject({
        elapsedMs: 0,
        runningSince: entered,
        remindersSent: 0,
        overdue: false,
        escalated: false,
      });
      expect(tl.upcoming()).toEqual([
        { kind: 'owner_reminder', at: entered + due * DAY },
        { kind: 'owner_escalation', at: entered + escalate * DAY },
      ]);

      const expected: [TimerKind, number][] = [];
      for (let d = due; d <= escalate + every; d += every) {
        if (d > escalate && !expected.some(([k]) => k === 'owner_escalation'))
          expected.push(['owner_escalation', entered + escalate * DAY]);
        expected.push(['owner_reminder', entered + d * DAY]);
        if (d === escalate) expected.push(['owner_escalation', entered + escalate * DAY]);
      }
      const fired = tl.runUntil(entered + (escalate + every) * DAY);
      expect(kinds(fired)).toEqual(expected);
      expect(fired.flatMap((f) => f.events).filter((e) => e.type === 'overdue')).toHaveLength(1);
      expect(fired.flatMap((f) => f.events).filter((e) => e.type === 'escalated')).toHaveLength(1);
      expect(tl.state.stage).toBe(stage);
    },
  );

  it('spot checks of the table above, written out', () => {
    // Awaiting funding entered on day 12: reminders on 132, 162, 192; escalation on 192 (180 days), after the reminder.
    const tl = new Timeline();
    tl.refer(day(3)).propose(day(5)).accept(day(9)).approve(day(12));
    expect(kinds(tl.runUntil(day(200)))).toEqual([
      ['owner_reminder', day(132)],
      ['owner_reminder', day(162)],
      ['owner_reminder', day(192)],
      ['owner_escalation', day(192)],
    ]);
  });

  it('a new stage starts a fresh clock: overdue in review does not carry into planning', () => {
    const tl = new Timeline();
    tl.runUntil(day(46));
    expect(tl.state.clock).toMatchObject({ overdue: true, escalated: true, remindersSent: 3 });
    tl.refer(day(46));
    expect(tl.state.clock).toEqual({
      elapsedMs: 0,
      runningSince: day(46),
      remindersSent: 0,
      overdue: false,
      escalated: false,
    });
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_reminder', at: day(106) },
      { kind: 'owner_escalation', at: day(136) },
    ]);
  });

  it('the follow-up evaluation stage has no owner deadline', () => {
    const tl = new Timeline();
    tl.refer(day(1)).propose(day(2)).accept(day(3)).approve(day(4)).fund(day(5)).deliverAll().completeDelivery(day(50));
    expect(tl.upcoming().filter((t) => t.kind.startsWith('owner_'))).toEqual([]);
  });
});

describe('the owner clock stops while the request waits on the State', () => {
  it('information request: 20 days of review, 50 days waiting, answer → CTED due 10 days later', () => {
    const tl = new Timeline();
    tl.decide(day(20), 'request_information', CTED, { questions: ['Which ministry leads?'] });
    expect(tl.state.clock).toMatchObject({ elapsedMs: 20 * DAY, runningSince: null, overdue: false });
    // Only the State's timers run: reminders at 14, 28, 42 days after asking, lapse at 56.
    expect(tl.upcoming()).toEqual([
      { kind: 'state_reminder', at: day(34) },
      { kind: 'information_lapsed', at: day(76) },
    ]);

    const waiting = tl.runUntil(day(70));
    expect(kinds(waiting)).toEqual([
      ['state_reminder', day(34)],
      ['state_reminder', day(48)],
      ['state_reminder', day(62)],
    ]);
    expect(waiting.map((f) => f.events[0].payload)).toEqual([
      { waitingFor: 'information', reminder: 1 },
      { waitingFor: 'information', reminder: 2 },
      { waitingFor: 'information', reminder: 3 },
    ]);
    // 70 days since submission, but CTED has used only 20 of its 30: not overdue.
    expect(tl.state.clock.overdue).toBe(false);
    expect(tl.upcoming()).toEqual([{ kind: 'information_lapsed', at: day(76) }]);

    tl.decide(day(70), 'provide_information', KEN, { answer: 'The Ministry of Justice' });
    expect(tl.state.stage).toBe(Stage.CtedReview);
    expect(tl.state.clock).toMatchObject({
      elapsedMs: 20 * DAY,
      runningSince: day(70),
      remindersSent: 0,
      overdue: false,
    });
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_reminder', at: day(80) },
      { kind: 'owner_escalation', at: day(95) },
    ]);
    expect(tl.runUntil(day(80) - 1)).toEqual([]);
    expect(kinds(tl.runUntil(day(80)))).toEqual([['owner_reminder', day(80)]]);
    expect(tl.state.clock.overdue).toBe(true);
  });

  it('a 100-day wait (with a longer lapse configured) still leaves CTED 10 of its 30 days', () => {
    const cfg: DeadlineConfig = {
      ...DEFAULT_DEADLINES,
      information: { reminderEveryDays: 30, maxReminders: 3, lapseAfterLastReminderDays: 60 },
    };
    const tl = new Timeline(cfg);
    tl.decide(day(20), 'request_information', CTED, { questions: ['Q?'] });
    expect(kinds(tl.runUntil(day(120)))).toEqual([
      ['state_reminder', day(50)],
      ['state_reminder', day(80)],
      ['state_reminder', day(110)],
    ]);
    tl.decide(day(120), 'provide_information', KEN, { answer: 'A' });
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_reminder', at: day(130) },
      { kind: 'owner_escalation', at: day(145) },
    ]);
  });

  it('an overdue review stays overdue across the wait, and the reminder count carries on', () => {
    const tl = new Timeline();
    expect(kinds(tl.runUntil(day(35)))).toEqual([['owner_reminder', day(30)]]);
    tl.decide(day(35), 'request_information', CTED, { questions: ['Q?'] });
    expect(tl.state.clock).toMatchObject({
      elapsedMs: 35 * DAY,
      runningSince: null,
      remindersSent: 1,
      overdue: true,
      escalated: false,
    });
    tl.decide(day(45), 'provide_information', KEN, { answer: 'A' });
    // Second reminder at 37 days of CTED time (2 more days), escalation at 45 (10 more days).
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_reminder', at: day(47) },
      { kind: 'owner_escalation', at: day(55) },
    ]);
    const fired = tl.runUntil(day(55));
    expect(kinds(fired)).toEqual([
      ['owner_reminder', day(47)],
      ['owner_reminder', day(54)],
      ['owner_escalation', day(55)],
    ]);
    expect(fired.flatMap((f) => f.events).some((e) => e.type === 'overdue')).toBe(false);
    expect(fired[0].events[0].payload).toMatchObject({ reminder: 2 });
  });

  it('plan proposed, awaiting agreement: UNODC clock stops; 4 reminders to the State; resumes on acceptance', () => {
    const tl = new Timeline();
    tl.refer(day(1)); // planning entered on day 1
    tl.propose(day(11)); // 10 UNODC days used
    expect(tl.state.clock).toMatchObject({ elapsedMs: 10 * DAY, runningSince: null });
    expect(tl.state.stateWait).toEqual({ kind: 'plan_agreement', since: day(11), remindersSent: 0, issuedAt: null });
    expect(tl.upcoming()).toEqual([{ kind: 'state_reminder', at: day(25) }]);

    const fired = tl.runUntil(day(101));
    expect(kinds(fired)).toEqual([
      ['state_reminder', day(25)],
      ['state_reminder', day(39)],
      ['state_reminder', day(53)],
      ['state_reminder', day(67)],
    ]);
    expect(fired.map((f) => f.events[0].payload)).toEqual(
      [1, 2, 3, 4].map((reminder) => ({ waitingFor: 'plan_agreement', reminder })),
    );
    // No lapse for plan agreement and no owner deadline: nothing left to fire.
    expect(tl.upcoming()).toEqual([]);
    expect(tl.state.clock.overdue).toBe(false);

    tl.accept(day(101));
    expect(tl.state.stateWait).toBeNull();
    // 60 - 10 = 50 days left to the reminder, 90 - 10 = 80 to escalation.
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_reminder', at: day(151) },
      { kind: 'owner_escalation', at: day(181) },
    ]);
  });

  it('revision requested resumes the clock; a new proposal stops it again; time adds up', () => {
    const tl = new Timeline();
    tl.refer(day(1));
    tl.propose(day(11)); // 10 days used
    tl.decide(day(21), 'request_plan_revision', KEN, { planVersion: 1, comments: 'Add a session for judges' });
    expect(tl.state.stateWait).toBeNull();
    expect(tl.state.clock).toMatchObject({ elapsedMs: 10 * DAY, runningSince: day(21) });
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_reminder', at: day(71) },
      { kind: 'owner_escalation', at: day(101) },
    ]);
    tl.propose(day(36)); // 15 more days: 25 used
    expect(tl.state.clock).toMatchObject({ elapsedMs: 25 * DAY, runningSince: null });
    expect(tl.upcoming()).toEqual([{ kind: 'state_reminder', at: day(50) }]);
    tl.accept(day(46));
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_reminder', at: day(81) },
      { kind: 'owner_escalation', at: day(111) },
    ]);
  });

  it('recording the CTED consultation while the State considers the plan does not restart the clock', () => {
    const tl = new Timeline();
    tl.refer(day(1)).propose(day(11));
    tl.decide(day(15), 'record_cted_consultation', UNODC, { summary: 'ok' });
    expect(tl.state.clock.runningSince).toBeNull();
    expect(tl.upcoming()).toEqual([{ kind: 'state_reminder', at: day(25) }]);
  });
});

describe('information request lapses', () => {
  it('three reminders every 14 days, then closed as lapsed 14 days after the last', () => {
    const tl = new Timeline();
    tl.decide(day(5), 'request_information', CTED, { questions: ['Q?'] });
    expect(kinds(tl.runUntil(day(61) - 1))).toEqual([
      ['state_reminder', day(19)],
      ['state_reminder', day(33)],
      ['state_reminder', day(47)],
    ]);
    expect(tl.state.stage).toBe(Stage.AwaitingInformation);

    const [lapse, ...rest] = tl.runUntil(day(400));
    expect(rest).toEqual([]);
    expect([lapse.kind, lapse.at]).toEqual(['information_lapsed', day(61)]);
    expect(types(lapse.events)).toEqual(['information_lapsed', 'stage_changed', 'closed']);
    expect(lapse.events[1].payload).toEqual({ from: Stage.AwaitingInformation, to: Stage.Closed });
    expect(lapse.events[2].payload).toEqual({ outcome: Outcome.Lapsed });
    expect(tl.state.stage).toBe(Stage.Closed);
    expect(tl.state.outcome).toBe(Outcome.Lapsed);
    expect(tl.state.stateWait).toBeNull();
    expect(tl.state.clock.runningSince).toBeNull();
    expect(tl.upcoming()).toEqual([]);
    expect(nextTimer(tl.state, tl.cfg)).toBeNull();
  });

  it('the lapse date does not move with reminders, and an answer the day before prevents it', () => {
    const tl = new Timeline();
    tl.decide(day(5), 'request_information', CTED, { questions: ['Q?'] });
    tl.runUntil(day(34));
    expect(tl.upcoming()).toEqual([
      { kind: 'state_reminder', at: day(47) },
      { kind: 'information_lapsed', at: day(61) },
    ]);
    tl.runUntil(day(60));
    tl.decide(day(60), 'provide_information', KEN, { answer: 'Just in time' });
    expect(tl.state.stage).toBe(Stage.CtedReview);
    expect(tl.upcoming().map((t) => t.kind)).toEqual(['owner_reminder', 'owner_escalation']);
    // 5 days used before asking: reminder 25 days after the answer.
    expect(tl.upcoming()[0].at).toBe(day(85));
  });
});

describe('follow-up evaluation', () => {
  const delivered = () => {
    const tl = new Timeline();
    tl.refer(day(1))
      .propose(day(2))
      .accept(day(3))
      .approve(day(4))
      .fund(day(5))
      .deliverAll()
      .completeDelivery(day(200));
    return tl;
  };

  it('questionnaire issued 30 days after delivery, reminded at 21 and 42 days, closed 90 days after issue', () => {
    const tl = delivered();
    expect(tl.state.stage).toBe(Stage.FollowUpEvaluation);
    expect(tl.upcoming()).toEqual([{ kind: 'evaluation_issued', at: day(230) }]);

    const [issued] = tl.runUntil(day(230));
    expect([issued.kind, issued.at]).toEqual(['evaluation_issued', day(230)]);
    expect(types(issued.events)).toEqual(['evaluation_questionnaire_issued']);
    expect(tl.state.stateWait).toEqual({ kind: 'evaluation', since: day(200), remindersSent: 0, issuedAt: day(230) });
    expect(tl.upcoming()).toEqual([
      { kind: 'state_reminder', at: day(251) },
      { kind: 'evaluation_not_received', at: day(320) },
    ]);

    const fired = tl.runUntil(day(1000));
    expect(kinds(fired)).toEqual([
      ['state_reminder', day(251)],
      ['state_reminder', day(272)],
      ['evaluation_not_received', day(320)],
    ]);
    expect(fired[0].events[0].payload).toEqual({ waitingFor: 'evaluation', reminder: 1 });
    expect(fired[1].events[0].payload).toEqual({ waitingFor: 'evaluation', reminder: 2 });
    const last = fired[2];
    expect(types(last.events)).toEqual(['evaluation_not_received', 'stage_changed', 'closed']);
    expect(last.events[1].payload).toEqual({ from: Stage.FollowUpEvaluation, to: Stage.Closed });
    expect(last.events[2].payload).toEqual({ outcome: Outcome.EvaluationNotReceived });
    expect(tl.state.outcome).toBe(Outcome.EvaluationNotReceived);
    expect(tl.upcoming()).toEqual([]);
  });

  it('an evaluation submitted before the deadline closes as completed and stops the timers', () => {
    const tl = delivered();
    tl.runUntil(day(260));
    tl.decide(day(260), 'submit_evaluation', KEN, { relevance: 5, usefulness: 5, comments: 'Excellent' });
    expect(tl.state.outcome).toBe(Outcome.Completed);
    expect(tl.upcoming()).toEqual([]);
    expect(tl.runUntil(day(2000))).toEqual([]);
  });
});

describe('no timers once closed', () => {
  const closed: [string, () => Timeline][] = [
    ['declined', () => new Timeline().decide(day(3), 'decline', CTED, { reason: 'Duplicate' })],
    [
      'withdrawn while waiting for information',
      () =>
        new Timeline()
          .decide(day(3), 'request_information', CTED, { questions: ['Q?'] })
          .decide(day(9), 'withdraw', KEN, { reason: 'r' }),
    ],
    [
      'withdrawn while the plan awaits agreement',
      () => new Timeline().refer(day(1)).propose(day(4)).decide(day(9), 'withdraw', KEN, { reason: 'r' }),
    ],
    [
      'withdrawn in delivery',
      () =>
        new Timeline()
          .refer(day(1))
          .propose(day(2))
          .accept(day(3))
          .approve(day(4))
          .fund(day(5))
          .decide(day(9), 'withdraw', KEN, { reason: 'r' }),
    ],
    [
      'referred externally',
      () =>
        new Timeline()
          .referExternally(day(2))
          .decide(day(90), 'record_referral_outcome', CTED, { referralId: 'ref-1', delivered: true, notes: 'n' }),
    ],
    [
      'withdrawn during evaluation',
      () =>
        new Timeline()
          .refer(day(1))
          .propose(day(2))
          .accept(day(3))
          .approve(day(4))
          .fund(day(5))
          .deliverAll()
          .completeDelivery(day(6))
          .decide(day(7), 'withdraw', KEN, { reason: 'r' }),
    ],
  ];
  it.each(closed)('%s: nothing scheduled, clock stopped', (_label, build) => {
    const tl = build();
    expect(tl.state.stage).toBe(Stage.Closed);
    expect(tl.upcoming()).toEqual([]);
    expect(nextTimer(tl.state, tl.cfg)).toBeNull();
    expect(tl.state.clock.runningSince).toBeNull();
    expect(tl.state.stateWait).toBeNull();
  });
});

describe('upcomingTimers ordering', () => {
  it('lists timers earliest first and nextTimer is the first of them', () => {
    // A config where the escalation falls before the due date, to see that order is by time.
    const cfg: DeadlineConfig = {
      ...DEFAULT_DEADLINES,
      owner: { ...DEFAULT_DEADLINES.owner, cted_review: { dueDays: 20, reminderEveryDays: 5, escalateDays: 10 } },
    };
    const tl = new Timeline(cfg);
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_escalation', at: day(10) },
      { kind: 'owner_reminder', at: day(20) },
    ]);
    expect(nextTimer(tl.state, cfg)).toEqual({ kind: 'owner_escalation', at: day(10) });
  });
});

describe('timer rules 2: reminders that end, a clock per external referral', () => {
  const V2 = withTimerRules(DEFAULT_DEADLINES, CURRENT_TIMER_RULES);
  const all = (fired: Fired[]) => fired.flatMap((f) => f.events);
  /** A second need (financial intelligence) goes to an external provider, the first to UNODC. */
  const referBoth = (tl: Timeline, at: number) => {
    tl.state.needs.push({
      id: 'need-2',
      thematicArea: 'countering_terrorist_financing',
      description: 'FIU',
      modalities: [],
    });
    return tl.decide(at, 'refer_needs', CTED, {
      referrals: [
        { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB core work' },
        { needIds: ['need-2'], provider: { kind: 'external', name: 'IMF' }, rationale: 'FIU programme' },
      ],
    });
  };

  it('CTED review: 3 reminders (30, 37, 44), escalation to the CTED supervisor at 45, then silence for ever', () => {
    const tl = new Timeline(V2);
    const fired = tl.runUntil(day(3 * 365));
    expect(kinds(fired)).toEqual([
      ['owner_reminder', day(30)],
      ['owner_reminder', day(37)],
      ['owner_reminder', day(44)],
      ['owner_escalation', day(45)],
    ]);
    expect(all(fired).find((e) => e.type === 'escalated')!.payload).toEqual({
      stage: Stage.CtedReview,
      owner: Role.CtedOfficer,
      escalatedTo: 'cted_supervisor',
    });
    expect(tl.upcoming()).toEqual([]);
    expect(nextTimer(tl.state, tl.cfg)).toBeNull();
  });

  it('escalation stops reminders even when fewer than the cap were sent', () => {
    // Reminders every 10 days from day 30: 30, 40; escalation at 45 comes before the third (50).
    const cfg: DeadlineConfig = {
      ...V2,
      owner: { ...V2.owner, cted_review: { dueDays: 30, reminderEveryDays: 10, escalateDays: 45, maxReminders: 3 } },
    };
    const tl = new Timeline(cfg);
    expect(kinds(tl.runUntil(day(400)))).toEqual([
      ['owner_reminder', day(30)],
      ['owner_reminder', day(40)],
      ['owner_escalation', day(45)],
    ]);
  });

  it('maxReminders is configurable per stage; a stored configuration without it gets 3', () => {
    const one: DeadlineConfig = {
      ...V2,
      owner: { ...V2.owner, cted_review: { dueDays: 30, reminderEveryDays: 7, escalateDays: 45, maxReminders: 1 } },
    };
    expect(kinds(new Timeline(one).runUntil(day(400)))).toEqual([
      ['owner_reminder', day(30)],
      ['owner_escalation', day(45)],
    ]);
    const stored: DeadlineConfig = {
      ...V2,
      owner: { ...V2.owner, cted_review: { dueDays: 30, reminderEveryDays: 1, escalateDays: 45 } },
    };
    expect(kinds(new Timeline(stored).runUntil(day(400)))).toEqual([
      ['owner_reminder', day(30)],
      ['owner_reminder', day(31)],
      ['owner_reminder', day(32)],
      ['owner_escalation', day(45)],
    ]);
  });

  it('UNODC planning escalates to the UNODC supervisor', () => {
    const tl = new Timeline(V2);
    tl.refer(day(3));
    const fired = tl.runUntil(day(1000));
    expect(kinds(fired)).toEqual([
      ['owner_reminder', day(63)],
      ['owner_reminder', day(77)],
      ['owner_reminder', day(91)],
      ['owner_escalation', day(93)],
    ]);
    expect(all(fired).find((e) => e.type === 'escalated')!.payload).toMatchObject({ escalatedTo: 'unodc_supervisor' });
  });

  it('external referral stage: no stage clock, the referral runs its own (180, 210, 240; escalation at 270)', () => {
    const tl = new Timeline(V2);
    tl.referExternally(day(3));
    expect(tl.state.stage).toBe(Stage.ExternalReferral);
    expect(tl.upcoming()).toEqual([
      { kind: 'referral_reminder', referralId: 'ref-1', at: day(183) },
      { kind: 'referral_escalation', referralId: 'ref-1', at: day(273) },
    ]);
    const fired = tl.runUntil(day(3 * 365));
    expect(kinds(fired)).toEqual([
      ['referral_reminder', day(183)],
      ['referral_reminder', day(213)],
      ['referral_reminder', day(243)],
      ['referral_escalation', day(273)],
    ]);
    expect(types(fired[0].events)).toEqual(['referral_overdue', 'referral_reminder']);
    expect(fired[0].events[1].payload).toEqual({
      referralId: 'ref-1',
      stage: Stage.ExternalReferral,
      owner: Role.CtedOfficer,
      reminder: 1,
    });
    expect(fired[3].events[0]).toMatchObject({
      type: 'referral_escalated',
      payload: { referralId: 'ref-1', owner: Role.CtedOfficer, escalatedTo: 'cted_supervisor' },
    });
    expect(all(fired).some((e) => ['overdue', 'deadline_reminder', 'escalated'].includes(e.type))).toBe(false);
    expect(tl.state.referrals[0].clock).toEqual({ remindersSent: 3, overdue: true, escalated: true });
    expect(ownerOverdue(tl.state, tl.cfg)).toBe(true);
    expect(tl.upcoming()).toEqual([]);
  });

  it('an external referral next to a UNODC one: both clocks run at once, each with its own deadlines', () => {
    const tl = new Timeline(V2);
    referBoth(tl, day(3));
    expect(tl.state.stage).toBe(Stage.UnodcPlanning);
    expect(tl.upcoming()).toEqual([
      { kind: 'owner_reminder', at: day(63) },
      { kind: 'owner_escalation', at: day(93) },
      { kind: 'referral_reminder', referralId: 'ref-2', at: day(183) },
      { kind: 'referral_escalation', referralId: 'ref-2', at: day(273) },
    ]);
    const fired = tl.runUntil(day(200));
    expect(kinds(fired)).toEqual([
      ['owner_reminder', day(63)],
      ['owner_reminder', day(77)],
      ['owner_reminder', day(91)],
      ['owner_escalation', day(93)],
      ['referral_reminder', day(183)],
    ]);
    // UNODC's lateness is UNODC's: the planning stage's overdue flag is its own clock's.
    expect(tl.state.clock.overdue).toBe(true);
    // CTED records the outcome: the referral's clock stops, the planning clock is unaffected.
    tl.decide(day(200), 'record_referral_outcome', CTED, {
      referralId: 'ref-2',
      delivered: true,
      notes: 'FIU trained',
    });
    expect(tl.upcoming()).toEqual([]);
    expect(tl.state.stage).toBe(Stage.UnodcPlanning);
  });

  it('a referral clock keeps running while CTED waits on nothing else, and stops when the request closes', () => {
    const tl = new Timeline(V2);
    referBoth(tl, day(3));
    tl.decide(day(10), 'withdraw', KEN, { reason: 'no longer needed' });
    expect(tl.upcoming()).toEqual([]);
  });

  it('three years ignored in CTED review: 3 reminders instead of the 153 of timer rules 1', () => {
    const reminders = (cfg: DeadlineConfig) =>
      new Timeline(cfg).runUntil(day(3 * 365)).filter((f) => f.kind === 'owner_reminder').length;
    // Rules 1: day 30, then every 7 days up to day 1095: 1 + floor(1065 / 7) = 153.
    expect(reminders(DEFAULT_DEADLINES)).toBe(153);
    expect(reminders(V2)).toBe(3);
  });

  it('a run that continues as new under rules 2 in the external referral stage carries on from the stage clock', () => {
    const tl = new Timeline();
    tl.referExternally(day(3));
    // Rules 1 for a year: the stage clock reminded and escalated (every 30 days from day 183).
    expect(kinds(tl.runUntil(day(368))).filter(([k]) => k === 'owner_escalation')).toEqual([
      ['owner_escalation', day(273)],
    ]);
    expect(tl.state.clock).toMatchObject({ remindersSent: 7, overdue: true, escalated: true });
    // The same state under rules 2: the referral clock takes over escalated, so nothing is re-sent.
    expect(upcomingTimers(tl.state, V2)).toEqual([]);
    const fresh = new Timeline();
    fresh.referExternally(day(3));
    fresh.runUntil(day(200));
    // Overdue with one reminder sent: the referral clock's next reminder is the second, on day 213.
    expect(upcomingTimers(fresh.state, V2)).toEqual([
      { kind: 'referral_reminder', referralId: 'ref-1', at: day(213) },
      { kind: 'referral_escalation', referralId: 'ref-1', at: day(273) },
    ]);
    const events = applyTimer(fresh.state, upcomingTimers(fresh.state, V2)[0], day(213));
    expect(types(events)).toEqual(['referral_reminder']);
    expect(events[0].payload).toMatchObject({ reminder: 2 });
  });

  it('timer rules 1 (runs begun before the patch) keep one stage clock and no referral clock', () => {
    const tl = new Timeline();
    referBoth(tl, day(3));
    expect(tl.upcoming().map((t) => t.kind)).toEqual(['owner_reminder', 'owner_escalation']);
  });
});

describe('urgent requests: their own deadline row', () => {
  it('an urgent request gets the urgent row, field by field; a routine one the routine row; neither keeps the block', () => {
    const urgent = deadlinesFor(DEFAULT_DEADLINES, 'urgent');
    expect(urgent.urgency).toBe('urgent');
    expect(urgent.urgent).toBeUndefined();
    expect(urgent.owner.cted_review).toEqual({ dueDays: 10, reminderEveryDays: 2, escalateDays: 15, maxReminders: 3 });
    expect(urgent.owner.unodc_planning).toEqual({
      dueDays: 20,
      reminderEveryDays: 5,
      escalateDays: 30,
      maxReminders: 3,
    });
    expect(urgent.referral).toEqual({ dueDays: 90, reminderEveryDays: 14, escalateDays: 135, maxReminders: 3 });
    expect(urgent.information).toEqual({ reminderEveryDays: 7, maxReminders: 3, lapseAfterLastReminderDays: 7 });
    expect(urgent.evaluation).toEqual(DEFAULT_DEADLINES.evaluation);
    const routine = deadlinesFor(DEFAULT_DEADLINES, 'routine');
    expect(routine.urgency).toBe('routine');
    expect(routine.urgent).toBeUndefined();
    expect(routine.owner).toEqual(DEFAULT_DEADLINES.owner);
  });

  it('an urgent request in CTED review is overdue at 10 days and escalated at 15', () => {
    const tl = new Timeline(withTimerRules(deadlinesFor(DEFAULT_DEADLINES, 'urgent'), CURRENT_TIMER_RULES));
    expect(kinds(tl.runUntil(day(365)))).toEqual([
      ['owner_reminder', day(10)],
      ['owner_reminder', day(12)],
      ['owner_reminder', day(14)],
      ['owner_escalation', day(15)],
    ]);
  });

  it('deployment overrides apply field by field, to the routine and to the urgent rows', () => {
    const settings = mergeDeadlines(DEFAULT_DEADLINES, {
      owner: { cted_review: { dueDays: 20 } },
      urgent: { owner: { cted_review: { escalateDays: 12 } } },
    });
    expect(settings.owner.cted_review).toEqual({
      dueDays: 20,
      reminderEveryDays: 7,
      escalateDays: 45,
      maxReminders: 3,
    });
    expect(deadlinesFor(settings, 'urgent').owner.cted_review).toEqual({
      dueDays: 10,
      reminderEveryDays: 2,
      escalateDays: 12,
      maxReminders: 3,
    });
  });

  it('the timer rules are the workflow’s to stamp, and can be removed again', () => {
    const v2 = withTimerRules(DEFAULT_DEADLINES, 2);
    expect(v2.timerRules).toBe(2);
    expect('timerRules' in withTimerRules(v2, undefined)).toBe(false);
  });
});
