/**
 * Model-based property tests of the request state machine.
 *
 * Random sequences of decisions (random type, random role, mostly valid payloads), interleaved
 * with what else moves a request in production (delivery activities finishing, timers firing),
 * are run against the domain. A small independent model, written by hand from BRIEF.md's
 * lifecycle, predicts for each decision whether the guard lets it through and where the
 * request goes next; invariants are checked after every step.
 */
import fc from 'fast-check';
import {
  Actor,
  DECISION_TYPES,
  DEFAULT_DEADLINES,
  Decision,
  DecisionType,
  DomainError,
  DomainErrorCode,
  NewRequest,
  Outcome,
  RequestState,
  Role,
  ScheduledTimer,
  Stage,
  THEMATIC_AREAS,
  applyDecision,
  applyTimer,
  fundedUsd,
  initialState,
  nextTimer,
  upcomingTimers,
  validateDecision,
} from './index';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 3, 1, 7, 0, 0);

type Who = 'own_state' | 'other_state' | 'cted' | 'unodc' | 'admin' | 'system';
const ACTORS: Record<Who, Actor> = {
  own_state: { userId: 'u-ken', role: Role.MemberState, memberState: 'KEN' },
  other_state: { userId: 'u-uga', role: Role.MemberState, memberState: 'UGA' },
  cted: { userId: 'u-cted', role: Role.CtedOfficer },
  unodc: { userId: 'u-unodc', role: Role.UnodcManager },
  admin: { userId: 'u-admin', role: Role.Admin },
  system: { userId: 'system', role: Role.System },
};
const WHOS = Object.keys(ACTORS) as Who[];

// --------------------------------------------------------------------------------------------
// The model: who takes each decision, and what each open stage lets happen.
// --------------------------------------------------------------------------------------------
const TAKEN_BY: Record<DecisionType, Who> = {
  request_information: 'cted',
  provide_information: 'own_state',
  refer_needs: 'cted',
  decline: 'cted',
  record_referral_outcome: 'cted',
  propose_plan: 'unodc',
  accept_plan: 'own_state',
  request_plan_revision: 'own_state',
  record_cted_consultation: 'unodc',
  approve_plan: 'unodc',
  record_funding: 'unodc',
  complete_delivery: 'unodc',
  record_indicators: 'unodc',
  submit_evaluation: 'own_state',
  withdraw: 'own_state',
};

const OPEN_IN: Record<Stage, DecisionType[]> = {
  [Stage.CtedReview]: ['request_information', 'refer_needs', 'decline', 'withdraw'],
  [Stage.AwaitingInformation]: ['provide_information', 'withdraw'],
  [Stage.ExternalReferral]: ['record_referral_outcome', 'withdraw'],
  [Stage.UnodcPlanning]: [
    'record_referral_outcome',
    'propose_plan',
    'accept_plan',
    'request_plan_revision',
    'record_cted_consultation',
    'approve_plan',
    'record_funding',
    'withdraw',
  ],
  [Stage.AwaitingFunding]: ['record_referral_outcome', 'record_cted_consultation', 'record_funding', 'withdraw'],
  [Stage.Delivery]: ['record_referral_outcome', 'record_funding', 'complete_delivery', 'record_indicators', 'withdraw'],
  [Stage.FollowUpEvaluation]: ['record_referral_outcome', 'record_indicators', 'submit_evaluation', 'withdraw'],
  [Stage.Closed]: [],
};

const GUARD_CODES: DomainErrorCode[] = ['REQUEST_CLOSED', 'ROLE_NOT_ALLOWED', 'STAGE_NOT_ALLOWED'];
const CONTENT_CODES: DomainErrorCode[] = [
  'INVALID_PAYLOAD',
  'UNKNOWN_NEED',
  'UNKNOWN_REFERRAL',
  'PLAN_NOT_READY',
  'ALREADY_RECORDED',
];

/** What the guard should say: one of GUARD_CODES, or 'content' when only the payload decides. */
function predictGuard(state: RequestState, type: DecisionType, who: Who): DomainErrorCode | 'content' {
  if (state.stage === Stage.Closed) return 'REQUEST_CLOSED';
  if (TAKEN_BY[type] !== who) return 'ROLE_NOT_ALLOWED';
  if (!OPEN_IN[state.stage].includes(type)) return 'STAGE_NOT_ALLOWED';
  return 'content';
}

/** Where an accepted decision takes the request, from the state before it. */
function predictNext(before: RequestState, d: Decision): { stage: Stage; outcome?: Outcome } {
  const p = d.payload as Record<string, any>;
  const same = { stage: before.stage };
  switch (d.type) {
    case 'request_information':
      return { stage: Stage.AwaitingInformation };
    case 'provide_information':
      return { stage: Stage.CtedReview };
    case 'refer_needs':
      return {
        stage: p.referrals.some((r: any) => r.provider.kind === 'unodc_tpb')
          ? Stage.UnodcPlanning
          : Stage.ExternalReferral,
      };
    case 'decline':
      return { stage: Stage.Closed, outcome: Outcome.Declined };
    case 'record_referral_outcome': {
      if (before.stage !== Stage.ExternalReferral) return same;
      const others = before.referrals.filter((r) => r.id !== p.referralId);
      if (others.some((r) => !r.outcome)) return same;
      const delivered = p.delivered || others.some((r) => r.outcome!.delivered);
      return {
        stage: Stage.Closed,
        outcome: delivered ? Outcome.ReferredExternallyDelivered : Outcome.ReferredExternallyNotDelivered,
      };
    }
    case 'approve_plan':
      return { stage: fundedUsd(before) >= before.plan!.budgetUsd ? Stage.Delivery : Stage.AwaitingFunding };
    case 'record_funding':
      if (before.stage === Stage.AwaitingFunding && fundedUsd(before) + p.amountUsd >= before.plan!.budgetUsd)
        return { stage: Stage.Delivery };
      return same;
    case 'complete_delivery':
      return { stage: Stage.FollowUpEvaluation };
    case 'submit_evaluation':
      return { stage: Stage.Closed, outcome: Outcome.Completed };
    case 'withdraw':
      return { stage: Stage.Closed, outcome: Outcome.Withdrawn };
    default:
      return same;
  }
}

// --------------------------------------------------------------------------------------------
// Invariants, checked after every step. Plain checks rather than expect(): they run tens of
// thousands of times, and a failure still reports the rule and fast-check's counterexample.
// --------------------------------------------------------------------------------------------
const STAGES = Object.values(Stage) as string[];
const OUTCOMES = Object.values(Outcome) as string[];

function check(ok: boolean, rule: string, detail?: unknown): void {
  if (!ok) throw new Error(`invariant broken: ${rule}${detail === undefined ? '' : ` (${JSON.stringify(detail)})`}`);
}
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const PAST_REVIEW: string[] = [
  Stage.ExternalReferral,
  Stage.UnodcPlanning,
  Stage.AwaitingFunding,
  Stage.Delivery,
  Stage.FollowUpEvaluation,
];
const WITH_UNODC: string[] = [Stage.UnodcPlanning, Stage.AwaitingFunding, Stage.Delivery, Stage.FollowUpEvaluation];
const PAST_PLANNING: string[] = [Stage.AwaitingFunding, Stage.Delivery, Stage.FollowUpEvaluation];

function checkInvariants(s: RequestState): void {
  check(STAGES.includes(s.stage), 'stage is a Stage', s.stage);
  check((s.outcome !== undefined) === (s.stage === Stage.Closed), 'outcome is set iff the request is closed', [
    s.stage,
    s.outcome,
  ]);
  if (s.outcome !== undefined) check(OUTCOMES.includes(s.outcome), 'outcome is an Outcome', s.outcome);

  // Money.
  check(fundedUsd(s) >= 0, 'funded amount is never negative', fundedUsd(s));
  check(
    s.funding.every((f) => Number.isInteger(f.amountUsd) && f.amountUsd > 0),
    'every pledge is a positive whole amount',
  );
  check(new Set(s.funding.map((f) => f.pledgeRef)).size === s.funding.length, 'a pledge is recorded once');
  if (s.plan) {
    const sum = s.plan.activities.reduce((acc, a) => acc + a.budgetUsd, 0);
    check(s.plan.budgetUsd === sum, 'plan budget equals the sum of activity budgets', [s.plan.budgetUsd, sum]);
  }

  // Referrals: every need at most once, only needs of this request; all of them once past review.
  const needIds = s.needs.map((n) => n.id);
  const referred = s.referrals.flatMap((r) => r.needIds);
  check(new Set(referred).size === referred.length, 'every need is referred at most once', referred);
  check(
    referred.every((id) => needIds.includes(id)),
    'only needs of the request are referred',
    referred,
  );
  if (PAST_REVIEW.includes(s.stage))
    check(referred.length === needIds.length, 'past review, every need is referred', referred);
  if (s.stage === Stage.ExternalReferral)
    check(
      s.referrals.every((r) => r.provider.kind === 'external'),
      'external_referral means no UNODC referral',
    );
  if (WITH_UNODC.includes(s.stage))
    check(
      s.referrals.some((r) => r.provider.kind === 'unodc_tpb'),
      'UNODC stages need a UNODC referral',
    );

  // The plan and the activities.
  if (PAST_PLANNING.includes(s.stage))
    check(
      s.plan?.status === 'approved' && s.plan.ctedConsulted,
      'past planning, the plan is approved after consulting CTED',
      s.plan,
    );
  if (s.stage === Stage.Delivery) {
    check(
      same(
        s.activities.map((a) => a.key),
        s.plan!.activities.map((a) => a.key),
      ),
      'delivery runs the planned activities',
    );
    check(fundedUsd(s) >= s.plan!.budgetUsd, 'delivery is funded', [fundedUsd(s), s.plan!.budgetUsd]);
  }
  if (s.stage === Stage.FollowUpEvaluation) {
    check(
      s.activities.some((a) => a.status === 'delivered'),
      'follow-up after something was delivered',
    );
    check(!s.activities.some((a) => a.status === 'scheduled'), 'follow-up after nothing is left scheduled');
  }

  // Clocks: the owner's clock runs exactly while the request is open and not waiting on the State.
  check(s.clock.elapsedMs >= 0, 'elapsed owner time is never negative', s.clock);
  const wait = s.stateWait;
  if (s.stage === Stage.Closed) {
    check(wait === null && s.clock.runningSince === null, 'a closed request waits on nobody', [wait, s.clock]);
    check(upcomingTimers(s, DEFAULT_DEADLINES).length === 0, 'a closed request has no timers');
  } else if (wait?.kind === 'information' || wait?.kind === 'plan_agreement') {
    check(s.clock.runningSince === null, 'the owner clock stops while waiting on the State', [wait, s.clock]);
  } else {
    check(s.clock.runningSince !== null, 'the owner clock runs while the request is not waiting on the State', [
      s.stage,
      s.clock,
    ]);
  }
  check(
    (wait?.kind === 'information') === (s.stage === Stage.AwaitingInformation),
    'information wait iff awaiting_information',
    [s.stage, wait],
  );
  check(
    (wait?.kind === 'evaluation') === (s.stage === Stage.FollowUpEvaluation),
    'evaluation wait iff follow_up_evaluation',
    [s.stage, wait],
  );
  if (wait?.kind === 'plan_agreement')
    check(
      s.stage === Stage.UnodcPlanning && s.plan?.status === 'proposed',
      'plan agreement wait only for a proposed plan',
      [s.stage, s.plan?.status],
    );
  if (s.stage === Stage.AwaitingInformation)
    check(
      s.informationRequests.filter((r) => r.answer === undefined).length === 1,
      'exactly one open information request',
    );
}

// --------------------------------------------------------------------------------------------
// Steps
// --------------------------------------------------------------------------------------------
interface DecideStep {
  kind: 'decide';
  /**
   * A decision type; or 'next': one the model says is open in the current stage; or 'advance':
   * the one that moves the request on along the lifecycle (so runs reach the late stages).
   */
  type: DecisionType | 'next' | 'advance';
  /** An actor, or 'fitting': the role that takes this decision. */
  who: Who | 'fitting';
  bad: 'none' | 'empty_payload' | 'no_decision_id';
  pick: number;
  amount: number;
  flag: boolean;
  afterHours: number;
}
interface FinishStep {
  kind: 'finish';
  pick: number;
  delivered: boolean;
}
/** Nobody acts for a while: the timers falling due in that time fire, as in the workflow loop. */
interface IdleStep {
  kind: 'idle';
  days: number;
}
type Step = DecideStep | FinishStep | IdleStep;

const decideStep: fc.Arbitrary<DecideStep> = fc.record({
  kind: fc.constant('decide' as const),
  type: fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...DECISION_TYPES) },
    { weight: 3, arbitrary: fc.constant('next' as const) },
    { weight: 4, arbitrary: fc.constant('advance' as const) },
  ),
  who: fc.oneof(
    { weight: 6, arbitrary: fc.constant('fitting' as const) },
    { weight: 6, arbitrary: fc.constantFrom(...WHOS) },
  ),
  bad: fc.oneof(
    { weight: 12, arbitrary: fc.constant('none' as const) },
    { weight: 1, arbitrary: fc.constantFrom('empty_payload' as const, 'no_decision_id' as const) },
  ),
  pick: fc.nat({ max: 1000 }),
  amount: fc.nat({ max: 60_000 }),
  flag: fc.boolean(),
  afterHours: fc.nat({ max: 24 * 40 }),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: decideStep },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('finish' as const), pick: fc.nat({ max: 100 }), delivered: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('idle' as const),
      days: fc.oneof(
        { weight: 4, arbitrary: fc.nat({ max: 30 }) },
        { weight: 1, arbitrary: fc.integer({ min: 60, max: 400 }) },
      ),
    }),
  },
);

const requestArb: fc.Arbitrary<NewRequest> = fc
  .uniqueArray(fc.constantFrom(...THEMATIC_AREAS), { minLength: 1, maxLength: 3 })
  .chain((areas) =>
    fc.record({
      requestId: fc.constant('00000000-0000-4000-8000-00000000beef'),
      reference: fc.constant('CTAP-2026-0777'),
      title: fc.constant('Model-based request'),
      memberState: fc.constant('KEN'),
      region: fc.constant('Africa'),
      origin: fc.constantFrom('member_state' as const, 'cted_assessment' as const),
      needs: fc.constant(
        areas.map((area, i) => ({
          id: `need-${i + 1}`,
          thematicArea: area,
          description: `Need in ${area}`,
          modalities: [],
        })),
      ),
      submittedAt: fc.constant(T0),
    }),
  );

/** Mostly valid payloads, built from the state as a client would. */
function payloadFor(type: DecisionType, s: RequestState, st: DecideStep): unknown {
  const { pick, amount, flag } = st;
  switch (type) {
    case 'request_information':
      return { questions: [`Question ${pick}?`] };
    case 'provide_information':
      return { answer: `Answer ${pick}` };
    case 'refer_needs':
      return {
        referrals: s.needs.map((n, i) => ({
          needIds: [n.id],
          provider: (pick >> i) & 1 ? { kind: 'unodc_tpb' } : { kind: 'external', name: `Donor ${i}` },
          rationale: 'Receptive provider',
        })),
      };
    case 'decline':
      return { reason: 'Covered elsewhere' };
    case 'record_referral_outcome': {
      const openOne = s.referrals.findIndex((r) => r.provider.kind === 'external' && !r.outcome);
      const i = st.type === 'advance' && openOne >= 0 ? openOne : pick % (s.referrals.length + 1);
      return { referralId: s.referrals[i]?.id ?? 'ref-404', delivered: flag, notes: 'Outcome noted' };
    }
    case 'propose_plan':
      return {
        activities: Array.from({ length: 1 + (pick % 3) }, (_, i) => ({
          key: `K${i + 1}`,
          title: `Activity ${i + 1}`,
          modality: 'national_training_workshop',
          thematicArea: s.thematicAreas[i % s.thematicAreas.length],
          startDate: '2026-10-01',
          endDate: '2026-10-02',
          place: 'Nairobi',
          participatingStates: ['KEN'],
          partners: [],
          budgetUsd: (amount * (i + 1)) % 40_000,
        })),
      };
    case 'accept_plan':
      return { planVersion: s.plan?.version ?? 1 };
    case 'request_plan_revision':
      return { planVersion: s.plan?.version ?? 1, comments: 'Please revise' };
    case 'record_cted_consultation':
      return { summary: 'CTED consulted' };
    case 'approve_plan':
      return {};
    case 'record_funding':
      return {
        pledgeRef: `PL-${st.type === 'advance' ? s.funding.length + 10 : pick % 8}`,
        donor: 'Donor State',
        amountUsd: 1 + (amount % 30_000),
      };
    case 'complete_delivery':
      return {};
    case 'record_indicators':
      return flag
        ? { officialsTrained: 1 + (amount % 40) }
        : { laws: [{ title: 'CT Act', status: 'drafted', date: '2026-11-01' }] };
    case 'submit_evaluation':
      return {
        relevance: 1 + (pick % 5),
        usefulness: 1 + (amount % 5),
        comments: 'Thanks',
        ...(flag ? { furtherNeeds: [{ thematicArea: 'victims_witnesses', description: 'Support for victims' }] } : {}),
      };
    case 'withdraw':
      return { reason: 'Priorities changed' };
  }
}

/** The decision that moves the request on from here, as a diligent team would take it. */
function advance(s: RequestState, st: DecideStep): DecisionType | 'finish_activity' {
  switch (s.stage) {
    case Stage.CtedReview:
      return st.pick % 6 === 0 ? 'request_information' : 'refer_needs';
    case Stage.AwaitingInformation:
      return 'provide_information';
    case Stage.UnodcPlanning:
      if (!s.plan || s.plan.status === 'revision_requested') return 'propose_plan';
      if (s.plan.status === 'proposed') return st.pick % 5 === 0 ? 'request_plan_revision' : 'accept_plan';
      return s.plan.ctedConsulted ? 'approve_plan' : 'record_cted_consultation';
    case Stage.AwaitingFunding:
      return 'record_funding';
    case Stage.Delivery:
      return s.activities.some((a) => a.status === 'scheduled') ? 'finish_activity' : 'complete_delivery';
    case Stage.FollowUpEvaluation:
      return st.pick % 4 === 0 ? 'record_indicators' : 'submit_evaluation';
    default:
      // external_referral, and closed (where it is refused like anything else).
      return 'record_referral_outcome';
  }
}

interface Stats {
  stages: Set<string>;
  outcomes: Set<string>;
  accepted: Set<string>;
  refused: Set<string>;
}

class Run {
  state: RequestState;
  now = T0;
  private seq = 0;

  constructor(
    request: NewRequest,
    readonly stats: Stats,
  ) {
    this.state = initialState(request);
    stats.stages.add(this.state.stage);
  }

  do(st: Step): void {
    if (st.kind === 'decide') this.decide(st);
    else if (st.kind === 'finish') this.finish(st);
    else this.idle(st);
    checkInvariants(this.state);
    this.stats.stages.add(this.state.stage);
    if (this.state.outcome) this.stats.outcomes.add(this.state.outcome);
  }

  private decide(st: DecideStep): void {
    const s = this.state;
    this.now += st.afterHours * HOUR;
    const open = OPEN_IN[s.stage].filter((t) => t !== 'withdraw' && t !== 'decline');
    let type: DecisionType;
    if (st.type === 'advance') {
      const next = advance(s, st);
      if (next === 'finish_activity')
        return this.finish({ kind: 'finish', pick: st.pick, delivered: st.pick % 5 !== 0 });
      type = next;
    } else if (st.type === 'next') {
      type = open.length ? open[st.pick % open.length] : DECISION_TYPES[st.pick % DECISION_TYPES.length];
    } else {
      type = st.type;
    }
    const who: Who = st.who === 'fitting' ? TAKEN_BY[type] : st.who;
    const d = {
      decisionId: st.bad === 'no_decision_id' ? '' : `d-${++this.seq}`,
      type,
      actor: ACTORS[who],
      payload: st.bad === 'empty_payload' ? {} : payloadFor(type, s, st),
    } as Decision;

    const guard = predictGuard(s, type, who);
    const before = structuredClone(s);
    let refused: unknown = null;
    try {
      validateDecision(s, d);
    } catch (err) {
      refused = err;
    }

    if (refused) {
      if (!(refused instanceof DomainError)) throw refused;
      const { code } = refused;
      if (guard === 'content')
        check(CONTENT_CODES.includes(code), 'a decision the guard lets through is refused only for its content', [
          type,
          who,
          s.stage,
          code,
        ]);
      else
        check(code === guard, 'the guard refuses as the model predicts', {
          type,
          who,
          stage: s.stage,
          expected: guard,
          got: code,
        });
      // Refused: applyDecision is not called and nothing changed.
      check(same(s, before), 'a refused decision leaves the state unchanged', type);
      this.stats.refused.add(`${type}:${code}`);
      return;
    }

    // Accepted: only when the guard allows it, and only with a proper decision id.
    check(guard === 'content', 'the guard accepts only what the model allows', {
      type,
      who,
      stage: s.stage,
      expected: guard,
    });
    check(st.bad !== 'no_decision_id', 'a decision without an id is refused');
    const expected = predictNext(before, d);
    const scheduledBefore = before.activities.filter((a) => a.status === 'scheduled').map((a) => a.key);
    const { events, effects } = applyDecision(s, d, this.now);
    this.stats.accepted.add(type);

    const [own, ...rest] = events;
    check(
      own !== undefined &&
        own.type === type &&
        own.decisionId === d.decisionId &&
        own.actor === d.actor &&
        own.at === new Date(this.now).toISOString(),
      "events start with the decision's own event carrying its decisionId",
      own,
    );
    check(
      rest.every((e) => e.decisionId === undefined && e.actor.role === Role.System),
      'follow-on events are the system events',
    );

    check(s.stage === expected.stage, 'the decision moves the request where the model says', {
      type,
      from: before.stage,
      expected: expected.stage,
      got: s.stage,
    });
    check(s.outcome === expected.outcome, 'the outcome is the one the model predicts', {
      type,
      expected: expected.outcome,
      got: s.outcome,
    });
    const changes = events.filter((e) => e.type === 'stage_changed').map((e) => e.payload);
    check(
      same(changes, s.stage !== before.stage ? [{ from: before.stage, to: s.stage }] : []),
      'one stage_changed event per move',
      changes,
    );
    check(
      events.some((e) => e.type === 'closed') === (s.stage === Stage.Closed),
      'a closed event iff the request closed',
    );

    // Effects.
    const started = s.stage === Stage.Delivery && before.stage !== Stage.Delivery;
    check(
      same(effects.startActivities, started ? s.plan!.activities.map((a) => a.key) : []),
      'activities start exactly when delivery starts',
      effects,
    );
    check(
      same(effects.cancelActivities, type === 'withdraw' ? scheduledBefore : []),
      'withdrawal cancels the scheduled activities, nothing else does',
      effects,
    );
    if (type === 'withdraw')
      check(fundedUsd(s) === 0 && s.funding.every((f) => f.released), 'withdrawal releases all funding');
    const further = type === 'submit_evaluation' ? ((d.payload as any).furtherNeeds ?? []) : [];
    check(
      (effects.openFollowUp === null) === (further.length === 0),
      'a follow-up request opens iff further needs were named',
      effects,
    );
  }

  /** A delivery child workflow reporting back (activityFinishedSignal). */
  private finish(st: FinishStep): void {
    if (this.state.stage !== Stage.Delivery) return;
    const scheduled = this.state.activities.filter((a) => a.status === 'scheduled');
    if (!scheduled.length) return;
    const a = scheduled[st.pick % scheduled.length];
    Object.assign(a, { status: st.delivered ? 'delivered' : 'cancelled' });
  }

  /** The workflow's timer loop while nobody acts: fire each deadline that falls due, earliest first. */
  private idle(st: IdleStep): void {
    const until = this.now + st.days * DAY;
    for (let fired = 0; ; fired++) {
      check(fired < 500, 'timers settle');
      const t = nextTimer(this.state, DEFAULT_DEADLINES);
      if (!t) {
        // Nothing scheduled: closed, or a plan proposal the State has been reminded of the maximum times.
        const s = this.state;
        const planWaitOver =
          s.stateWait?.kind === 'plan_agreement' &&
          s.stateWait.remindersSent >= DEFAULT_DEADLINES.planAgreement.maxReminders;
        check(
          s.stage === Stage.Closed || planWaitOver,
          'an open request has a timer unless the plan agreement reminders ran out',
          [s.stage, s.stateWait],
        );
        break;
      }
      if (t.at > until) break;
      this.fire(t);
      checkInvariants(this.state);
    }
    this.now = Math.max(this.now, until);
  }

  private fire(t: ScheduledTimer): void {
    const s = this.state;
    const wasStage = s.stage;
    this.now = Math.max(this.now, t.at);
    const events = applyTimer(s, t, this.now);
    if (t.kind === 'information_lapsed') {
      check(
        wasStage === Stage.AwaitingInformation && s.outcome === Outcome.Lapsed,
        'an information request lapses into closed/lapsed',
        [wasStage, s.outcome],
      );
    } else if (t.kind === 'evaluation_not_received') {
      check(
        wasStage === Stage.FollowUpEvaluation && s.outcome === Outcome.EvaluationNotReceived,
        'no evaluation closes as evaluation_not_received',
        [wasStage, s.outcome],
      );
    } else {
      check(s.stage === wasStage, 'other timers do not move the request', [t.kind, wasStage, s.stage]);
    }
    check(events.length > 0 && events.every((e) => e.actor.role === Role.System), 'timer events are the system events');
  }

  /** Closed is absorbing: every decision by everyone is refused with REQUEST_CLOSED. */
  checkAbsorbing(): void {
    const before = structuredClone(this.state);
    for (const type of DECISION_TYPES) {
      for (const who of WHOS) {
        const d = {
          decisionId: `late-${type}-${who}`,
          type,
          actor: ACTORS[who],
          payload: payloadFor(type, this.state, {
            kind: 'decide',
            type,
            who,
            bad: 'none',
            pick: 1,
            amount: 1,
            flag: true,
            afterHours: 0,
          }),
        } as Decision;
        let code: string | null = null;
        try {
          validateDecision(this.state, d);
        } catch (err) {
          code = err instanceof DomainError ? err.code : String(err);
        }
        check(code === 'REQUEST_CLOSED', 'closed is absorbing: every later decision is refused with REQUEST_CLOSED', {
          type,
          who,
          code,
        });
      }
    }
    check(same(this.state, before), 'refusals leave a closed request unchanged');
  }
}

function newStats(): Stats {
  return { stages: new Set(), outcomes: new Set(), accepted: new Set(), refused: new Set() };
}

describe('model-based: random decision sequences', () => {
  it('keep every invariant, and the guard and transitions agree with the model', () => {
    const stats = newStats();
    let closedRuns = 0;
    fc.assert(
      fc.property(requestArb, fc.array(step, { minLength: 10, maxLength: 80, size: 'max' }), (request, steps) => {
        const run = new Run(request, stats);
        checkInvariants(run.state);
        for (const st of steps) run.do(st);
        if (run.state.stage === Stage.Closed) {
          closedRuns += 1;
          run.checkAbsorbing();
        }
      }),
      // 300 runs now and then left an outcome unreached ('declined', only from CTED review), and the
      // coverage check below failed at random: 900 take a few seconds more.
      { numRuns: 900 },
    );
    // The generator must actually explore the lifecycle, or the property proves little.
    expect([...stats.stages].sort()).toEqual([...STAGES].sort());
    expect([...stats.outcomes].sort()).toEqual([...OUTCOMES].sort());
    expect([...stats.accepted].sort()).toEqual([...DECISION_TYPES].sort());
    for (const code of [...GUARD_CODES, 'INVALID_PAYLOAD', 'PLAN_NOT_READY', 'ALREADY_RECORDED', 'UNKNOWN_REFERRAL']) {
      expect([...stats.refused].some((r) => r.endsWith(`:${code}`))).toBe(true);
    }
    expect(closedRuns).toBeGreaterThan(30);
  });
});

// --------------------------------------------------------------------------------------------
// Fuzzing the validator: whatever JSON object a client sends as the payload, the answer is a
// DomainError or an accepted decision, never a crash.
// --------------------------------------------------------------------------------------------
const FIELDS = [
  'questions',
  'answer',
  'referrals',
  'needIds',
  'provider',
  'kind',
  'name',
  'rationale',
  'reason',
  'referralId',
  'delivered',
  'notes',
  'activities',
  'key',
  'title',
  'modality',
  'thematicArea',
  'startDate',
  'endDate',
  'place',
  'participatingStates',
  'partners',
  'budgetUsd',
  'sharedKey',
  'planVersion',
  'comments',
  'summary',
  'pledgeRef',
  'donor',
  'amountUsd',
  'ratifications',
  'instrument',
  'depositedOn',
  'laws',
  'status',
  'date',
  'officialsTrained',
  'relevance',
  'usefulness',
  'furtherNeeds',
  'description',
  'modalities',
];
const leaf = fc.oneof(
  fc.jsonValue({ maxDepth: 1 }),
  fc.constantFrom(
    'KEN',
    'need-1',
    'ref-1',
    'ref-2',
    '2026-01-01',
    'unodc_tpb',
    'external',
    'ratification',
    'national_training_workshop',
    'regional_workshop',
    'RW-2027-EA',
    'drafted',
    'constructor',
    1,
    3,
    0,
    -1,
  ),
);
const obj1 = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })), {
  maxKeys: 6,
});
const junkPayload = fc.dictionary(
  fc.constantFrom(...FIELDS),
  fc.oneof(leaf, obj1, fc.array(fc.oneof(leaf, obj1), { maxLength: 3 })),
  { maxKeys: 8 },
);

/** Reaches a state in which `type` is open, by a fixed script of valid decisions. */
function stateWhere(type: DecisionType): RequestState {
  const request: NewRequest = {
    requestId: '00000000-0000-4000-8000-00000000f00d',
    reference: 'CTAP-2026-0888',
    title: 'Fuzz',
    memberState: 'KEN',
    region: 'Africa',
    origin: 'member_state',
    needs: [
      { id: 'need-1', thematicArea: 'ratification', description: 'd', modalities: [] },
      { id: 'need-2', thematicArea: 'border_management', description: 'd', modalities: [] },
    ],
    submittedAt: T0,
  };
  const s = initialState(request);
  let n = 0;
  const go = (t: DecisionType, who: Who, payload: unknown) => {
    const d = { decisionId: `s-${++n}`, type: t, actor: ACTORS[who], payload } as Decision;
    validateDecision(s, d);
    applyDecision(s, d, T0 + n * HOUR);
  };
  const goal = (): boolean => OPEN_IN[s.stage].includes(type);
  if (goal()) return s;
  if (type === 'provide_information') {
    go('request_information', 'cted', { questions: ['q'] });
    return s;
  }
  go('refer_needs', 'cted', {
    referrals: [
      { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'r' },
      { needIds: ['need-2'], provider: { kind: 'external', name: 'OSCE' }, rationale: 'r' },
    ],
  });
  if (goal()) return s;
  const activity = {
    key: 'A',
    title: 't',
    modality: 'mock_trial',
    thematicArea: 'ratification',
    startDate: '2026-05-01',
    endDate: '2026-05-02',
    place: 'Mombasa',
    participatingStates: ['KEN'],
    partners: [],
    budgetUsd: 100,
  };
  go('propose_plan', 'unodc', { activities: [activity] });
  go('accept_plan', 'own_state', { planVersion: 1 });
  go('record_cted_consultation', 'unodc', { summary: 's' });
  go('approve_plan', 'unodc', {});
  go('record_funding', 'unodc', { pledgeRef: 'P', donor: 'D', amountUsd: 100 });
  if (goal()) return s;
  s.activities[0].status = 'delivered';
  go('complete_delivery', 'unodc', {});
  if (!goal()) throw new Error(`no script reaches ${type}`);
  return s;
}

describe('fuzzing payloads', () => {
  const states = Object.fromEntries(DECISION_TYPES.map((t) => [t, stateWhere(t)])) as Record<
    DecisionType,
    RequestState
  >;

  it('a script reaches a stage where each decision is open', () => {
    for (const t of DECISION_TYPES) expect(OPEN_IN[states[t].stage]).toContain(t);
  });

  it('any JSON object as payload is refused with a DomainError or accepted and applied cleanly', () => {
    const seen = { refused: 0, accepted: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...DECISION_TYPES), junkPayload, (type, generated) => {
        // As it arrives over HTTP.
        const payload: unknown = JSON.parse(JSON.stringify(generated));
        const s = structuredClone(states[type]);
        const d = { decisionId: 'fuzz', type, actor: ACTORS[TAKEN_BY[type]], payload } as Decision;
        try {
          validateDecision(s, d);
        } catch (err) {
          expect(err).toBeInstanceOf(DomainError);
          expect(CONTENT_CODES).toContain((err as DomainError).code);
          expect(s).toEqual(states[type]);
          seen.refused += 1;
          return;
        }
        seen.accepted += 1;
        applyDecision(s, d, T0 + 1000 * HOUR);
        checkInvariants(s);
      }),
      { numRuns: 300 },
    );
    expect(seen.refused).toBeGreaterThan(0);
  });
});
