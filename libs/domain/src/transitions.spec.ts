/**
 * The decision guard and the stage machine, checked against a table written by hand from the
 * lifecycle in BRIEF.md (submission → CTED review/referral → UNODC planning → funding →
 * delivery → follow-up evaluation → closure; withdrawal by the State at any time).
 *
 * States are built by applying real decisions from initialState, the way the workflow does.
 * The only thing set directly is the status of delivery activities, which in production comes
 * from the delivery child workflows through a signal (see assistance-request.workflow.ts).
 */
import {
  Actor,
  DECISION_TYPES,
  Decision,
  DecisionPayloads,
  DecisionType,
  DomainError,
  DomainErrorCode,
  DomainEvent,
  Effects,
  NewRequest,
  Outcome,
  PlannedActivity,
  RequestState,
  Role,
  Stage,
  allowedDecisions,
  applyDecision,
  applyTimer,
  availableDecisions,
  fundedUsd,
  initialState,
  upcomingTimers,
  validateDecision,
  DEFAULT_DEADLINES,
} from './index';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

const OWN_STATE: Actor = { userId: 'u-ken', role: Role.MemberState, memberState: 'KEN' };
const OTHER_STATE: Actor = { userId: 'u-uga', role: Role.MemberState, memberState: 'UGA' };
const CTED: Actor = { userId: 'u-cted', role: Role.CtedOfficer };
const UNODC: Actor = { userId: 'u-unodc', role: Role.UnodcManager };
const ADMIN: Actor = { userId: 'u-admin', role: Role.Admin };
const SYSTEM: Actor = { userId: 'system', role: Role.System };

type Who = 'own_state' | 'other_state' | 'cted' | 'unodc' | 'admin' | 'system';
const ACTORS: Record<Who, Actor> = {
  own_state: OWN_STATE,
  other_state: OTHER_STATE,
  cted: CTED,
  unodc: UNODC,
  admin: ADMIN,
  system: SYSTEM,
};

// ---------------------------------------------------------------------------------------------
// The expected rules, by hand. One row per decision, one column per stage; a cell lists who may
// take the decision there: S = the request's own Member State, C = a CTED officer,
// U = a UNODC programme manager. Nobody else (another State, an admin, the system) ever may.
// ---------------------------------------------------------------------------------------------
const COLUMNS = [
  Stage.CtedReview,
  Stage.AwaitingInformation,
  Stage.ExternalReferral,
  Stage.UnodcPlanning,
  Stage.AwaitingFunding,
  Stage.Delivery,
  Stage.FollowUpEvaluation,
  Stage.Closed,
] as const;

// prettier-ignore
const WHO_MAY: Record<DecisionType, readonly [string, string, string, string, string, string, string, string]> = {
  //                          review  info  extref  plan  funding  delivery  followup  closed
  request_information:      [ 'C',    '',   '',     '',   '',      '',       '',       '' ],
  provide_information:      [ '',     'S',  '',     '',   '',      '',       '',       '' ],
  refer_needs:              [ 'C',    '',   '',     '',   '',      '',       '',       '' ],
  decline:                  [ 'C',    '',   '',     '',   '',      '',       '',       '' ],
  // Outcomes of external referrals are tracked for as long as the request is open after referral.
  record_referral_outcome:  [ '',     '',   'C',    'C',  'C',     'C',      'C',      '' ],
  propose_plan:             [ '',     '',   '',     'U',  '',      '',       '',       '' ],
  accept_plan:              [ '',     '',   '',     'S',  '',      '',       '',       '' ],
  request_plan_revision:    [ '',     '',   '',     'S',  '',      '',       '',       '' ],
  record_cted_consultation: [ '',     '',   '',     'U',  'U',     '',       '',       '' ],
  approve_plan:             [ '',     '',   '',     'U',  '',      '',       '',       '' ],
  // Pledges can arrive while planning, while waiting for funding, and during delivery.
  record_funding:           [ '',     '',   '',     'U',  'U',     'U',      '',       '' ],
  complete_delivery:        [ '',     '',   '',     '',   '',      'U',      '',       '' ],
  record_indicators:        [ '',     '',   '',     '',   '',      'U',      'U',      '' ],
  submit_evaluation:        [ '',     '',   '',     '',   '',      '',       'S',      '' ],
  // "A request can also be withdrawn by the State": in every open stage.
  withdraw:                 [ 'S',    'S',  'S',    'S',  'S',     'S',      'S',      '' ],
};

const LETTER: Record<Who, string> = {
  own_state: 'S',
  other_state: 'S',
  cted: 'C',
  unodc: 'U',
  admin: 'A',
  system: 'Y',
};

type Verdict = 'ALLOWED' | DomainErrorCode;

function expectedVerdict(type: DecisionType, stage: Stage, who: Who): Verdict {
  if (stage === Stage.Closed) return 'REQUEST_CLOSED';
  const row = WHO_MAY[type];
  const letter = LETTER[who];
  if (!row.some((cell) => cell.includes(letter))) return 'ROLE_NOT_ALLOWED';
  // A Member State acts only on its own requests.
  if (who === 'other_state') return 'ROLE_NOT_ALLOWED';
  if (!row[COLUMNS.indexOf(stage)].includes(letter)) return 'STAGE_NOT_ALLOWED';
  return 'ALLOWED';
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------
function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    requestId: '00000000-0000-4000-8000-000000000001',
    reference: 'CTAP-2026-0001',
    title: 'Legislative assistance and FIU training',
    memberState: 'KEN',
    region: 'Africa',
    origin: 'member_state',
    needs: [
      {
        id: 'need-1',
        thematicArea: 'legislative_incorporation',
        description: 'Review the draft bill',
        modalities: ['national_legislative_drafting_workshop'],
      },
      {
        id: 'need-2',
        thematicArea: 'countering_terrorist_financing',
        description: 'FIU training',
        modalities: ['national_training_workshop'],
      },
    ],
    submittedAt: T0,
    ...overrides,
  };
}

function activity(key: string, overrides: Partial<PlannedActivity> = {}): PlannedActivity {
  return {
    key,
    title: `Workshop ${key}`,
    modality: 'national_legislative_drafting_workshop',
    thematicArea: 'legislative_incorporation',
    startDate: '2026-06-01',
    endDate: '2026-06-03',
    place: 'Nairobi',
    participatingStates: ['KEN'],
    partners: ['OHCHR'],
    budgetUsd: 20_000,
    ...overrides,
  };
}

const PLAN: PlannedActivity[] = [
  activity('A1'),
  activity('A2', {
    modality: 'national_training_workshop',
    thematicArea: 'countering_terrorist_financing',
    budgetUsd: 15_000,
    participatingStates: ['KEN', 'UGA'],
  }),
];
const PLAN_BUDGET = 35_000;

let decisionSeq = 0;
function decision<T extends DecisionType>(
  type: T,
  actor: Actor,
  payload: DecisionPayloads[T],
  decisionId = `d-${++decisionSeq}`,
): Decision {
  return { decisionId, type, actor, payload } as Decision;
}

class Case {
  readonly state: RequestState;
  now: number;
  readonly log: { events: DomainEvent[]; effects: Effects }[] = [];

  constructor(request: NewRequest = newRequest()) {
    this.state = initialState(request);
    this.now = request.submittedAt;
  }

  /** Validates and applies, like the workflow's Update validator and handler. */
  decide<T extends DecisionType>(
    type: T,
    actor: Actor,
    payload: DecisionPayloads[T],
    afterDays = 1,
  ): { events: DomainEvent[]; effects: Effects } {
    this.now += afterDays * DAY;
    const d = decision(type, actor, payload);
    validateDecision(this.state, d);
    const result = applyDecision(this.state, d, this.now);
    this.log.push(result);
    return result;
  }

  /** What the delivery child workflow reports through activityFinishedSignal. */
  finishActivity(key: string, status: 'delivered' | 'cancelled'): this {
    const a = this.state.activities.find((x) => x.key === key);
    if (!a || a.status !== 'scheduled') throw new Error(`activity ${key} is not scheduled`);
    Object.assign(a, { key, status, ...(status === 'delivered' ? { officialsTrained: 20 } : {}) });
    return this;
  }
}

const inReview = () => new Case();

const awaitingInformation = () => {
  const c = inReview();
  c.decide('request_information', CTED, { questions: ['Which ministry leads the drafting?'] });
  return c;
};

/** Both needs referred to external providers, one referral each. */
const inExternalReferral = () => {
  const c = inReview();
  c.decide('refer_needs', CTED, {
    referrals: [
      {
        needIds: ['need-1'],
        provider: { kind: 'external', name: 'Council of Europe' },
        rationale: 'Active in the country',
      },
      { needIds: ['need-2'], provider: { kind: 'external', name: 'World Bank' }, rationale: 'Strong on FIUs' },
    ],
  });
  return c;
};

/** need-1 to UNODC/TPB (ref-1), need-2 to an external donor (ref-2). */
const inPlanning = () => {
  const c = inReview();
  c.decide('refer_needs', CTED, {
    referrals: [
      { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'Legislative assistance is TPB core work' },
      {
        needIds: ['need-2'],
        provider: { kind: 'external', name: 'IMF' },
        rationale: 'IMF runs FIU programmes in the region',
      },
    ],
  });
  return c;
};

const withProposedPlan = () => {
  const c = inPlanning();
  c.decide('propose_plan', UNODC, { activities: PLAN });
  return c;
};

const withAgreedPlan = (consulted = true) => {
  const c = withProposedPlan();
  c.decide('accept_plan', OWN_STATE, { planVersion: 1 });
  if (consulted) c.decide('record_cted_consultation', UNODC, { summary: 'CTED agrees with the plan' });
  return c;
};

const awaitingFunding = () => {
  const c = withAgreedPlan();
  c.decide('approve_plan', UNODC, {});
  return c;
};

const inDelivery = () => {
  const c = awaitingFunding();
  c.decide('record_funding', UNODC, { pledgeRef: 'PL-NOR-1', donor: 'Norway', amountUsd: PLAN_BUDGET });
  return c;
};

const inDeliveryAllDelivered = () => inDelivery().finishActivity('A1', 'delivered').finishActivity('A2', 'delivered');

const inFollowUp = () => {
  const c = inDeliveryAllDelivered();
  c.decide('complete_delivery', UNODC, { summary: 'Both workshops held' });
  return c;
};

const closedDeclined = () => {
  const c = inReview();
  c.decide('decline', CTED, { reason: 'Duplicate of CTAP-2025-0099' });
  return c;
};

const STAGE_BUILDERS: Record<Stage, () => Case> = {
  [Stage.CtedReview]: inReview,
  [Stage.AwaitingInformation]: awaitingInformation,
  [Stage.ExternalReferral]: inExternalReferral,
  [Stage.UnodcPlanning]: withProposedPlan,
  [Stage.AwaitingFunding]: awaitingFunding,
  [Stage.Delivery]: inDelivery,
  [Stage.FollowUpEvaluation]: inFollowUp,
  [Stage.Closed]: closedDeclined,
};

/** A state at `stage` in which `type` has a valid payload, so only role and stage decide. */
function stateFor(stage: Stage, type: DecisionType): Case {
  if (stage === Stage.UnodcPlanning && type === 'approve_plan') return withAgreedPlan();
  if (stage === Stage.Delivery && type === 'complete_delivery') return inDeliveryAllDelivered();
  return STAGE_BUILDERS[stage]();
}

function validPayload(type: DecisionType, s: RequestState): DecisionPayloads[DecisionType] {
  switch (type) {
    case 'request_information':
      return { questions: ['Which ministry leads the drafting?'] };
    case 'provide_information':
      return { answer: 'The Ministry of Justice, with the Attorney-General.' };
    case 'refer_needs':
      return {
        referrals: [{ needIds: s.needs.map((n) => n.id), provider: { kind: 'unodc_tpb' }, rationale: 'TPB core work' }],
      };
    case 'decline':
      return { reason: 'Already covered by a bilateral programme' };
    case 'record_referral_outcome': {
      const open = s.referrals.find((r) => r.provider.kind === 'external' && !r.outcome);
      return { referralId: open?.id ?? 'ref-2', delivered: true, notes: 'Workshop held in March' };
    }
    case 'propose_plan':
      return { activities: PLAN };
    case 'accept_plan':
      return { planVersion: s.plan?.version ?? 1 };
    case 'request_plan_revision':
      return { planVersion: s.plan?.version ?? 1, comments: 'Please add a session for judges' };
    case 'record_cted_consultation':
      return { summary: 'CTED consulted on 12 March' };
    case 'approve_plan':
      return {};
    case 'record_funding':
      return { pledgeRef: `PL-${s.funding.length + 100}`, donor: 'Canada', amountUsd: 5_000 };
    case 'complete_delivery':
      return { summary: 'All activities held' };
    case 'record_indicators':
      return { officialsTrained: 25 };
    case 'submit_evaluation':
      return { relevance: 5, usefulness: 4, comments: 'Very relevant' };
    case 'withdraw':
      return { reason: 'Priorities changed after elections' };
  }
}

function verdictOf(state: RequestState, d: Decision): Verdict {
  try {
    validateDecision(state, d);
    return 'ALLOWED';
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

function stageChanges(events: DomainEvent[]): { from: unknown; to: unknown }[] {
  return events.filter((e) => e.type === 'stage_changed').map((e) => ({ from: e.payload.from, to: e.payload.to }));
}

// ---------------------------------------------------------------------------------------------
describe('the hand-written table', () => {
  it('has a row for exactly the decision types the domain knows', () => {
    expect(Object.keys(WHO_MAY).sort()).toEqual([...DECISION_TYPES].sort());
  });

  it('has a builder reaching each stage for real', () => {
    for (const stage of COLUMNS) expect(STAGE_BUILDERS[stage]().state.stage).toBe(stage);
    expect(stateFor(Stage.UnodcPlanning, 'approve_plan').state.stage).toBe(Stage.UnodcPlanning);
    expect(stateFor(Stage.Delivery, 'complete_delivery').state.stage).toBe(Stage.Delivery);
  });
});

describe('who may take which decision in which stage', () => {
  const cells = COLUMNS.flatMap((stage) =>
    DECISION_TYPES.flatMap((type) =>
      (Object.keys(ACTORS) as Who[]).map((who) => ({ stage, type, who, expected: expectedVerdict(type, stage, who) })),
    ),
  );

  it('covers every stage × decision × role', () => {
    expect(cells).toHaveLength(8 * 15 * 6);
    // The table is not degenerate: every verdict occurs.
    const verdicts = new Set(cells.map((c) => c.expected));
    expect([...verdicts].sort()).toEqual(['ALLOWED', 'REQUEST_CLOSED', 'ROLE_NOT_ALLOWED', 'STAGE_NOT_ALLOWED']);
  });

  describe.each(COLUMNS.map((s) => [s]))('in stage %s', (stage) => {
    it.each(cells.filter((c) => c.stage === stage).map((c) => [c.type, c.who, c.expected] as const))(
      '%s by %s → %s',
      (type, who, expected) => {
        const c = stateFor(stage, type);
        expect(c.state.stage).toBe(stage);
        const d = decision(type, ACTORS[who], validPayload(type, c.state));
        expect(verdictOf(c.state, d)).toBe(expected);
        if (expected === 'ALLOWED') {
          const { events } = applyDecision(c.state, d, c.now + DAY);
          expect(events[0]).toMatchObject({ type, decisionId: d.decisionId, actor: ACTORS[who] });
        }
      },
    );
  });

  it('refuses every decision by every role in every kind of closed request', () => {
    const closedCases: [string, () => Case][] = [
      ['declined', closedDeclined],
      [
        'withdrawn',
        () => {
          const c = inDelivery();
          c.decide('withdraw', OWN_STATE, { reason: 'No longer needed' });
          return c;
        },
      ],
      [
        'completed',
        () => {
          const c = inFollowUp();
          c.decide('submit_evaluation', OWN_STATE, { relevance: 4, usefulness: 4, comments: 'Good' });
          return c;
        },
      ],
      [
        'referred externally',
        () => {
          const c = inExternalReferral();
          c.decide('record_referral_outcome', CTED, { referralId: 'ref-1', delivered: false, notes: 'No funds' });
          c.decide('record_referral_outcome', CTED, { referralId: 'ref-2', delivered: true, notes: 'Delivered' });
          return c;
        },
      ],
      [
        'lapsed',
        () => {
          const c = awaitingInformation();
          const lapse = upcomingTimers(c.state, DEFAULT_DEADLINES).find((t) => t.kind === 'information_lapsed')!;
          applyTimer(c.state, lapse, lapse.at);
          return c;
        },
      ],
    ];
    let checked = 0;
    for (const [, build] of closedCases) {
      const c = build();
      expect(c.state.stage).toBe(Stage.Closed);
      for (const type of DECISION_TYPES) {
        for (const actor of Object.values(ACTORS)) {
          expect(verdictOf(c.state, decision(type, actor, validPayload(type, c.state)))).toBe('REQUEST_CLOSED');
          checked += 1;
        }
      }
    }
    expect(checked).toBe(5 * 15 * 6);
  });

  it('refuses a Member State user with no State, and one of another State, with ROLE_NOT_ALLOWED', () => {
    const c = inReview();
    const noState: Actor = { userId: 'u-x', role: Role.MemberState };
    const err = refusal(() => validateDecision(c.state, decision('withdraw', noState, { reason: 'x' })));
    expect(err.code).toBe('ROLE_NOT_ALLOWED');
    const other = refusal(() => validateDecision(c.state, decision('withdraw', OTHER_STATE, { reason: 'x' })));
    expect(other.code).toBe('ROLE_NOT_ALLOWED');
    expect(other.message).toContain('KEN');
  });

  it('refuses an unknown decision type with INVALID_PAYLOAD', () => {
    const c = inReview();
    const err = refusal(() =>
      validateDecision(c.state, {
        decisionId: 'd-x',
        type: 'merge_requests',
        actor: CTED,
        payload: {},
      } as unknown as Decision),
    );
    expect(err.code).toBe('INVALID_PAYLOAD');
    expect(err.message).toContain('merge_requests');
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(201)],
  ])('refuses a decisionId that is %s with INVALID_PAYLOAD naming decisionId', (_label, decisionId) => {
    const c = inReview();
    const err = refusal(() => validateDecision(c.state, decision('decline', CTED, { reason: 'r' }, decisionId)));
    expect(err.code).toBe('INVALID_PAYLOAD');
    expect(err.message).toContain('decisionId');
  });

  it('accepts a decisionId of exactly 200 characters', () => {
    const c = inReview();
    expect(verdictOf(c.state, decision('decline', CTED, { reason: 'r' }, 'x'.repeat(200)))).toBe('ALLOWED');
  });
});

// ---------------------------------------------------------------------------------------------
describe('stage transitions made by applyDecision', () => {
  it('request_information: cted_review → awaiting_information, and provide_information returns to cted_review', () => {
    const c = inReview();
    const asked = c.decide('request_information', CTED, { questions: ['Q1?', 'Q2?'] }, 20);
    expect(stageChanges(asked.events)).toEqual([{ from: Stage.CtedReview, to: Stage.AwaitingInformation }]);
    expect(c.state.stage).toBe(Stage.AwaitingInformation);
    expect(c.state.resumeStage).toBe(Stage.CtedReview);
    expect(c.state.informationRequests).toEqual([
      { id: 'info-1', questions: ['Q1?', 'Q2?'], askedAt: new Date(T0 + 20 * DAY).toISOString() },
    ]);
    expect(c.state.stateWait).toEqual({ kind: 'information', since: T0 + 20 * DAY, remindersSent: 0, issuedAt: null });

    const answered = c.decide('provide_information', OWN_STATE, { answer: 'Ministry of Justice' }, 5);
    expect(stageChanges(answered.events)).toEqual([{ from: Stage.AwaitingInformation, to: Stage.CtedReview }]);
    expect(c.state.stage).toBe(Stage.CtedReview);
    expect(c.state.resumeStage).toBeUndefined();
    expect(c.state.stateWait).toBeNull();
    expect(c.state.informationRequests[0]).toMatchObject({
      answer: 'Ministry of Justice',
      answeredAt: new Date(T0 + 25 * DAY).toISOString(),
    });
    expect(c.state.outcome).toBeUndefined();

    // A second round numbers the request info-2 and answers that one.
    c.decide('request_information', CTED, { questions: ['Q3?'] });
    c.decide('provide_information', OWN_STATE, { answer: 'A3' });
    expect(c.state.informationRequests.map((r) => [r.id, r.answer])).toEqual([
      ['info-1', 'Ministry of Justice'],
      ['info-2', 'A3'],
    ]);
  });

  it('refer_needs with any need to UNODC: cted_review → unodc_planning, referrals numbered and stored', () => {
    const c = inPlanning();
    expect(stageChanges(c.log[0].events)).toEqual([{ from: Stage.CtedReview, to: Stage.UnodcPlanning }]);
    expect(c.state.referrals.map((r) => ({ id: r.id, needIds: r.needIds, kind: r.provider.kind }))).toEqual([
      { id: 'ref-1', needIds: ['need-1'], kind: 'unodc_tpb' },
      { id: 'ref-2', needIds: ['need-2'], kind: 'external' },
    ]);
    expect(c.state.referrals.every((r) => r.referredAt === new Date(T0 + DAY).toISOString())).toBe(true);
    expect(c.state.outcome).toBeUndefined();
  });

  it('refer_needs with every need external: cted_review → external_referral', () => {
    const c = inExternalReferral();
    expect(stageChanges(c.log[0].events)).toEqual([{ from: Stage.CtedReview, to: Stage.ExternalReferral }]);
    expect(c.state.stage).toBe(Stage.ExternalReferral);
  });

  it('refer_needs may group several needs in one referral', () => {
    const c = inReview();
    c.decide('refer_needs', CTED, {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'All TPB' }],
    });
    expect(c.state.stage).toBe(Stage.UnodcPlanning);
    expect(c.state.referrals).toHaveLength(1);
  });

  it('decline: cted_review → closed with outcome declined', () => {
    const c = closedDeclined();
    const { events } = c.log[0];
    expect(stageChanges(events)).toEqual([{ from: Stage.CtedReview, to: Stage.Closed }]);
    expect(events.map((e) => e.type)).toEqual(['decline', 'stage_changed', 'closed']);
    expect(events[2].payload).toEqual({ outcome: Outcome.Declined });
    expect(c.state.outcome).toBe(Outcome.Declined);
  });

  it('record_referral_outcome in external_referral closes only when every referral has an outcome', () => {
    const c = inExternalReferral();
    const first = c.decide('record_referral_outcome', CTED, {
      referralId: 'ref-2',
      delivered: false,
      notes: 'Donor withdrew',
    });
    expect(stageChanges(first.events)).toEqual([]);
    expect(c.state.stage).toBe(Stage.ExternalReferral);
    expect(c.state.referrals[1].outcome).toEqual({
      delivered: false,
      notes: 'Donor withdrew',
      recordedAt: new Date(c.now).toISOString(),
    });

    const last = c.decide('record_referral_outcome', CTED, {
      referralId: 'ref-1',
      delivered: true,
      notes: 'Workshop held',
    });
    expect(stageChanges(last.events)).toEqual([{ from: Stage.ExternalReferral, to: Stage.Closed }]);
    expect(c.state.outcome).toBe(Outcome.ReferredExternallyDelivered);
  });

  it('record_referral_outcome: no external referral delivered → referred_externally_not_delivered', () => {
    const c = inExternalReferral();
    c.decide('record_referral_outcome', CTED, { referralId: 'ref-1', delivered: false, notes: 'n' });
    const { events } = c.decide('record_referral_outcome', CTED, { referralId: 'ref-2', delivered: false, notes: 'n' });
    expect(c.state.stage).toBe(Stage.Closed);
    expect(c.state.outcome).toBe(Outcome.ReferredExternallyNotDelivered);
    expect(events.find((e) => e.type === 'closed')?.payload).toEqual({
      outcome: Outcome.ReferredExternallyNotDelivered,
    });
  });

  it.each([
    [Stage.UnodcPlanning, withProposedPlan],
    [Stage.AwaitingFunding, awaitingFunding],
    [Stage.Delivery, inDelivery],
    [Stage.FollowUpEvaluation, inFollowUp],
  ])('record_referral_outcome in %s records the outcome without moving the request', (stage, build) => {
    const c = build();
    const { events } = c.decide('record_referral_outcome', CTED, {
      referralId: 'ref-2',
      delivered: true,
      notes: 'IMF mission done',
    });
    expect(stageChanges(events)).toEqual([]);
    expect(c.state.stage).toBe(stage);
    expect(c.state.outcome).toBeUndefined();
    expect(c.state.referrals[1].outcome?.delivered).toBe(true);
  });

  it('propose_plan stays in unodc_planning, numbers versions and sums the budget', () => {
    const c = inPlanning();
    const { events } = c.decide('propose_plan', UNODC, { activities: PLAN });
    expect(stageChanges(events)).toEqual([]);
    expect(c.state.plan).toMatchObject({
      version: 1,
      status: 'proposed',
      budgetUsd: PLAN_BUDGET,
      ctedConsulted: false,
    });
    c.decide('request_plan_revision', OWN_STATE, { planVersion: 1, comments: 'Add judges' });
    expect(c.state.plan).toMatchObject({ version: 1, status: 'revision_requested', revisionComments: 'Add judges' });
    c.decide('propose_plan', UNODC, { activities: [activity('B1', { budgetUsd: 7_000 })] });
    expect(c.state.plan).toMatchObject({ version: 2, status: 'proposed', budgetUsd: 7_000 });
    expect(c.state.stage).toBe(Stage.UnodcPlanning);
  });

  it('propose_plan accepts shared activities at the subregional, regional and international levels', () => {
    const c = inPlanning();
    const shared = (key: string, modality: string, sharedKey: string) =>
      activity(key, { modality, sharedKey, participatingStates: ['UGA', 'KEN'] });
    c.decide('propose_plan', UNODC, {
      activities: [
        activity('N1'),
        shared('S1', 'subregional_workshop', 'SRW-1'),
        shared('S2', 'regional_workshop', 'RW-2027-EAST-AFRICA-CFT'),
        shared('S3', 'international_workshop', 'IW-9'),
        shared('S4', 'judicial_platform_support', 'JP-EA'),
      ],
    });
    expect(c.state.plan!.activities.map((a) => a.sharedKey)).toEqual([
      undefined,
      'SRW-1',
      'RW-2027-EAST-AFRICA-CFT',
      'IW-9',
      'JP-EA',
    ]);
    // Approved and funded, each shared activity starts (or joins) like any other: the workflow tells them apart.
    c.decide('accept_plan', OWN_STATE, { planVersion: 1 });
    c.decide('record_cted_consultation', UNODC, { summary: 'ok' });
    c.decide('record_funding', UNODC, { pledgeRef: 'P-S', donor: 'Norway', amountUsd: 100_000 });
    const { effects } = c.decide('approve_plan', UNODC, {});
    expect(effects.startActivities).toEqual(['N1', 'S1', 'S2', 'S3', 'S4']);
    const withdrawn = c.decide('withdraw', OWN_STATE, { reason: 'r' });
    expect(withdrawn.effects.cancelActivities).toEqual(['N1', 'S1', 'S2', 'S3', 'S4']);
  });

  it('accept_plan and record_cted_consultation stay in unodc_planning', () => {
    const c = withProposedPlan();
    const accepted = c.decide('accept_plan', OWN_STATE, { planVersion: 1 });
    const consulted = c.decide('record_cted_consultation', UNODC, { summary: 'ok' });
    expect(stageChanges([...accepted.events, ...consulted.events])).toEqual([]);
    expect(c.state.plan).toMatchObject({ status: 'agreed', ctedConsulted: true });
    expect(c.state.stage).toBe(Stage.UnodcPlanning);
  });

  it('approve_plan without funding: unodc_planning → awaiting_funding, CTC/CTED informed', () => {
    const c = awaitingFunding();
    const { events, effects } = c.log[c.log.length - 1];
    expect(events.map((e) => e.type)).toEqual(['approve_plan', 'cted_informed', 'stage_changed']);
    expect(events[1].payload).toEqual({ planVersion: 1, budgetUsd: PLAN_BUDGET });
    expect(stageChanges(events)).toEqual([{ from: Stage.UnodcPlanning, to: Stage.AwaitingFunding }]);
    expect(c.state.plan?.status).toBe('approved');
    expect(effects.startActivities).toEqual([]);
  });

  it('approve_plan with funding already covering the budget: unodc_planning → delivery, activities started', () => {
    const c = withAgreedPlan();
    c.decide('record_funding', UNODC, { pledgeRef: 'PL-1', donor: 'Norway', amountUsd: 20_000 });
    c.decide('record_funding', UNODC, { pledgeRef: 'PL-2', donor: 'Japan', amountUsd: 15_000 });
    expect(c.state.stage).toBe(Stage.UnodcPlanning);
    const { events, effects } = c.decide('approve_plan', UNODC, {});
    expect(stageChanges(events)).toEqual([{ from: Stage.UnodcPlanning, to: Stage.Delivery }]);
    expect(effects.startActivities).toEqual(['A1', 'A2']);
    expect(c.state.activities).toEqual([
      { key: 'A1', status: 'scheduled' },
      { key: 'A2', status: 'scheduled' },
    ]);
  });

  it('record_funding covering the budget in awaiting_funding starts delivery with effects.startActivities', () => {
    const c = awaitingFunding();
    const partial = c.decide('record_funding', UNODC, { pledgeRef: 'PL-1', donor: 'Norway', amountUsd: 34_999 });
    expect(stageChanges(partial.events)).toEqual([]);
    expect(partial.effects.startActivities).toEqual([]);
    expect(c.state.stage).toBe(Stage.AwaitingFunding);
    expect(c.state.activities).toEqual([]);

    const rest = c.decide('record_funding', UNODC, { pledgeRef: 'PL-2', donor: 'Japan', amountUsd: 1 });
    expect(rest.events.map((e) => e.type)).toEqual(['record_funding', 'funding_covered', 'stage_changed']);
    expect(rest.events[1].payload).toEqual({ fundedUsd: PLAN_BUDGET, budgetUsd: PLAN_BUDGET });
    expect(stageChanges(rest.events)).toEqual([{ from: Stage.AwaitingFunding, to: Stage.Delivery }]);
    expect(rest.effects.startActivities).toEqual(['A1', 'A2']);
    expect(c.state.activities.map((a) => a.status)).toEqual(['scheduled', 'scheduled']);
    expect(fundedUsd(c.state)).toBe(PLAN_BUDGET);
  });

  it('record_funding during delivery only records the pledge', () => {
    const c = inDelivery();
    const { events, effects } = c.decide('record_funding', UNODC, {
      pledgeRef: 'PL-EXTRA',
      donor: 'EU',
      amountUsd: 1_000,
    });
    expect(stageChanges(events)).toEqual([]);
    expect(effects.startActivities).toEqual([]);
    expect(fundedUsd(c.state)).toBe(PLAN_BUDGET + 1_000);
  });

  it('complete_delivery: delivery → follow_up_evaluation, evaluation wait opened', () => {
    const c = inFollowUp();
    const { events } = c.log[c.log.length - 1];
    expect(stageChanges(events)).toEqual([{ from: Stage.Delivery, to: Stage.FollowUpEvaluation }]);
    expect(c.state.stateWait).toEqual({ kind: 'evaluation', since: c.now, remindersSent: 0, issuedAt: null });
    expect(c.state.outcome).toBeUndefined();
  });

  it('complete_delivery is allowed once some activities were delivered and the rest cancelled', () => {
    const c = inDelivery().finishActivity('A1', 'delivered').finishActivity('A2', 'cancelled');
    c.decide('complete_delivery', UNODC, {});
    expect(c.state.stage).toBe(Stage.FollowUpEvaluation);
  });

  it('record_indicators accumulates in delivery and follow-up without moving the request', () => {
    const c = inDelivery();
    const a = c.decide('record_indicators', UNODC, {
      ratifications: [{ instrument: '1999-FINANCING', depositedOn: '2026-05-02' }],
      officialsTrained: 30,
    });
    c.finishActivity('A1', 'delivered').finishActivity('A2', 'delivered');
    c.decide('complete_delivery', UNODC, {});
    const b = c.decide('record_indicators', UNODC, {
      laws: [{ title: 'Counter-Terrorism Act', status: 'adopted', date: '2026-09-10' }],
      officialsTrained: 12,
    });
    expect(stageChanges([...a.events, ...b.events])).toEqual([]);
    expect(c.state.indicators).toEqual({
      ratifications: [{ instrument: '1999-FINANCING', depositedOn: '2026-05-02' }],
      laws: [{ title: 'Counter-Terrorism Act', status: 'adopted', date: '2026-09-10' }],
      officialsTrained: 42,
    });
    expect(c.state.stage).toBe(Stage.FollowUpEvaluation);
  });

  it('submit_evaluation: follow_up_evaluation → closed with outcome completed', () => {
    const c = inFollowUp();
    const { events, effects } = c.decide('submit_evaluation', OWN_STATE, {
      relevance: 5,
      usefulness: 4,
      comments: 'Useful',
    });
    expect(stageChanges(events)).toEqual([{ from: Stage.FollowUpEvaluation, to: Stage.Closed }]);
    expect(events[events.length - 1]).toMatchObject({ type: 'closed', payload: { outcome: Outcome.Completed } });
    expect(c.state.outcome).toBe(Outcome.Completed);
    expect(c.state.evaluation).toEqual({
      relevance: 5,
      usefulness: 4,
      comments: 'Useful',
      furtherNeeds: [],
      submittedAt: new Date(c.now).toISOString(),
    });
    expect(effects.openFollowUp).toBeNull();
    expect(c.state.stateWait).toBeNull();
  });

  it('submit_evaluation with further needs yields effects.openFollowUp with fresh need ids', () => {
    const c = inFollowUp();
    const { effects } = c.decide('submit_evaluation', OWN_STATE, {
      relevance: 4,
      usefulness: 5,
      comments: 'More please',
      furtherNeeds: [
        {
          thematicArea: 'international_cooperation',
          description: 'MLA training for central authority',
          modalities: ['national_training_workshop'],
        },
        { thematicArea: 'victims_witnesses', description: 'Victim support framework' } as never,
      ],
    });
    expect(effects.openFollowUp).toEqual([
      {
        id: 'need-1',
        thematicArea: 'international_cooperation',
        description: 'MLA training for central authority',
        modalities: ['national_training_workshop'],
      },
      { id: 'need-2', thematicArea: 'victims_witnesses', description: 'Victim support framework', modalities: [] },
    ]);
    expect(c.state.evaluation?.furtherNeeds).toEqual(effects.openFollowUp);
    expect(c.state.outcome).toBe(Outcome.Completed);
  });

  it.each(COLUMNS.filter((s) => s !== Stage.Closed).map((s) => [s]))(
    'withdraw from %s closes with outcome withdrawn',
    (stage) => {
      const c = STAGE_BUILDERS[stage]();
      const { events } = c.decide('withdraw', OWN_STATE, { reason: 'Priorities changed' });
      expect(stageChanges(events)).toEqual([{ from: stage, to: Stage.Closed }]);
      expect(events[events.length - 1]).toMatchObject({ type: 'closed', payload: { outcome: Outcome.Withdrawn } });
      expect(c.state.stage).toBe(Stage.Closed);
      expect(c.state.outcome).toBe(Outcome.Withdrawn);
      expect(c.state.stateWait).toBeNull();
      expect(c.state.clock.runningSince).toBeNull();
    },
  );

  it('withdraw during delivery releases all funding and lists the scheduled activities to cancel', () => {
    const c = inDelivery();
    c.decide('record_funding', UNODC, { pledgeRef: 'PL-EU', donor: 'European Union', amountUsd: 4_000 });
    c.finishActivity('A1', 'delivered');
    const { events, effects } = c.decide('withdraw', OWN_STATE, { reason: 'Government changed' });
    expect(effects.cancelActivities).toEqual(['A2']);
    expect(effects.startActivities).toEqual([]);
    expect(c.state.funding.map((f) => [f.pledgeRef, f.released])).toEqual([
      ['PL-NOR-1', true],
      ['PL-EU', true],
    ]);
    expect(fundedUsd(c.state)).toBe(0);
    expect(events.filter((e) => e.type === 'funding_released').map((e) => e.payload)).toEqual([
      { pledgeRef: 'PL-NOR-1', amountUsd: PLAN_BUDGET },
      { pledgeRef: 'PL-EU', amountUsd: 4_000 },
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'withdraw',
      'funding_released',
      'funding_released',
      'stage_changed',
      'closed',
    ]);
  });

  it('withdraw while planning releases pledges recorded so far and cancels nothing', () => {
    const c = withProposedPlan();
    c.decide('record_funding', UNODC, { pledgeRef: 'PL-1', donor: 'Norway', amountUsd: 9_000 });
    const { effects } = c.decide('withdraw', OWN_STATE, { reason: 'r' });
    expect(effects.cancelActivities).toEqual([]);
    expect(c.state.funding.every((f) => f.released)).toBe(true);
  });

  it('every decision event carries its decisionId, actor and time; system events do not', () => {
    const c = awaitingFunding();
    const d = decision(
      'record_funding',
      UNODC,
      { pledgeRef: 'PL-X', donor: 'Norway', amountUsd: PLAN_BUDGET },
      'client-chosen-42',
    );
    validateDecision(c.state, d);
    const now = T0 + 100 * DAY;
    const { events } = applyDecision(c.state, d, now);
    expect(events[0]).toEqual({
      type: 'record_funding',
      actor: UNODC,
      at: new Date(now).toISOString(),
      decisionId: 'client-chosen-42',
      payload: d.payload,
    });
    for (const e of events.slice(1)) {
      expect(e.actor.role).toBe(Role.System);
      expect(e.decisionId).toBeUndefined();
      expect(e.at).toBe(new Date(now).toISOString());
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('payload validation', () => {
  const long = (n: number) => 'x'.repeat(n);
  const plan = (over: Partial<PlannedActivity>, others: PlannedActivity[] = []) => ({
    activities: [...others, activity('A1', over)],
  });
  const REGIONAL: Partial<PlannedActivity> = {
    modality: 'regional_workshop',
    participatingStates: ['KEN', 'UGA', 'TZA'],
    sharedKey: 'RW-2027-EAST-AFRICA-CFT',
  };

  // [decision, builder, actor, payload, text the message must contain]
  const cases: [DecisionType, () => Case, Actor, unknown, string][] = [
    ['request_information', inReview, CTED, { questions: [] }, 'questions'],
    ['request_information', inReview, CTED, {}, 'questions'],
    ['request_information', inReview, CTED, { questions: ['ok?', '   '] }, 'questions[1]'],
    ['request_information', inReview, CTED, { questions: [long(4001)] }, 'questions[0]'],
    ['provide_information', awaitingInformation, OWN_STATE, { answer: '' }, 'answer'],
    ['provide_information', awaitingInformation, OWN_STATE, { answer: long(20_001) }, 'answer'],
    ['provide_information', awaitingInformation, OWN_STATE, { answer: 42 }, 'answer'],
    ['refer_needs', inReview, CTED, { referrals: [] }, 'referrals'],
    [
      'refer_needs',
      inReview,
      CTED,
      { referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: '' }] },
      'referrals[0].rationale',
    ],
    [
      'refer_needs',
      inReview,
      CTED,
      { referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'external', name: ' ' }, rationale: 'r' }] },
      'referrals[0].provider.name',
    ],
    [
      'refer_needs',
      inReview,
      CTED,
      {
        referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'external', name: long(201) }, rationale: 'r' }],
      },
      'referrals[0].provider.name',
    ],
    [
      'refer_needs',
      inReview,
      CTED,
      { referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'bilateral' }, rationale: 'r' }] },
      'referrals[0].provider.kind',
    ],
    [
      'refer_needs',
      inReview,
      CTED,
      { referrals: [{ needIds: ['need-1', 'need-2'], rationale: 'r' }] },
      'referrals[0].provider required',
    ],
    [
      'refer_needs',
      inReview,
      CTED,
      {
        referrals: [
          { needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'r' },
          { needIds: [], provider: { kind: 'unodc_tpb' }, rationale: 'r' },
        ],
      },
      'referrals[1].needIds',
    ],
    [
      'refer_needs',
      inReview,
      CTED,
      { referrals: [{ needIds: ['need-1', 'need-2', 'need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'r' }] },
      'need need-1 is referred twice',
    ],
    [
      'refer_needs',
      inReview,
      CTED,
      {
        referrals: [
          { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'r' },
          { needIds: ['need-1', 'need-2'], provider: { kind: 'external', name: 'EU' }, rationale: 'r' },
        ],
      },
      'need need-1 is referred twice',
    ],
    [
      'refer_needs',
      inReview,
      CTED,
      { referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'r' }] },
      'not referred: need-2',
    ],
    ['decline', inReview, CTED, { reason: '' }, 'reason'],
    ['decline', inReview, CTED, {}, 'reason'],
    [
      'record_referral_outcome',
      inPlanning,
      CTED,
      { referralId: 'ref-1', delivered: true, notes: 'n' },
      'UNODC referral',
    ],
    ['record_referral_outcome', inPlanning, CTED, { referralId: 'ref-2', delivered: 'yes', notes: 'n' }, 'delivered'],
    ['record_referral_outcome', inPlanning, CTED, { referralId: 'ref-2', delivered: false, notes: '' }, 'notes'],
    ['propose_plan', inPlanning, UNODC, { activities: [] }, 'activities'],
    ['propose_plan', inPlanning, UNODC, {}, 'activities'],
    ['propose_plan', inPlanning, UNODC, plan({ key: '' }), 'activities[0].key'],
    ['propose_plan', inPlanning, UNODC, plan({ key: long(81) }), 'activities[0].key'],
    ['propose_plan', inPlanning, UNODC, plan({}, [activity('A1')]), 'activities[1].key A1 is used twice'],
    ['propose_plan', inPlanning, UNODC, plan({ title: '' }), 'activities[0].title'],
    ['propose_plan', inPlanning, UNODC, plan({ modality: 'seminar_cruise' }), 'activities[0].modality'],
    // Names every plain object answers to are not delivery modalities.
    ['propose_plan', inPlanning, UNODC, plan({ modality: 'constructor' }), 'activities[0].modality'],
    ['propose_plan', inPlanning, UNODC, plan({ modality: 'toString' }), 'activities[0].modality'],
    ['propose_plan', inPlanning, UNODC, plan({ modality: '__proto__' }), 'activities[0].modality'],
    ['propose_plan', inPlanning, UNODC, plan({ thematicArea: 'cbrn_terrorism' }), 'activities[0].thematicArea'],
    ['propose_plan', inPlanning, UNODC, plan({ startDate: '1 June 2026' }), 'activities[0].startDate'],
    ['propose_plan', inPlanning, UNODC, plan({ startDate: '2026-13-45' }), 'activities[0].startDate'],
    ['propose_plan', inPlanning, UNODC, plan({ endDate: '2026-05-31' }), 'activities[0].endDate'],
    ['propose_plan', inPlanning, UNODC, plan({ place: '' }), 'activities[0].place'],
    ['propose_plan', inPlanning, UNODC, plan({ participatingStates: ['ken'] }), 'activities[0].participatingStates'],
    [
      'propose_plan',
      inPlanning,
      UNODC,
      plan({ participatingStates: ['UGA', 'TZA'] }),
      'activities[0].participatingStates must include KEN',
    ],
    ['propose_plan', inPlanning, UNODC, plan({ partners: 'OHCHR' as never }), 'activities[0].partners'],
    ['propose_plan', inPlanning, UNODC, plan({ budgetUsd: -1 }), 'activities[0].budgetUsd'],
    ['propose_plan', inPlanning, UNODC, plan({ budgetUsd: 10.5 }), 'activities[0].budgetUsd'],
    // Shared (regional) activities: a key of the right form, a multi-State level, another State, once per plan.
    ['propose_plan', inPlanning, UNODC, plan({ ...REGIONAL, sharedKey: 'rw-2027' }), 'activities[0].sharedKey'],
    ['propose_plan', inPlanning, UNODC, plan({ ...REGIONAL, sharedKey: 'RW' }), 'activities[0].sharedKey'],
    [
      'propose_plan',
      inPlanning,
      UNODC,
      plan({ ...REGIONAL, sharedKey: `RW-${'X'.repeat(58)}` }),
      'activities[0].sharedKey',
    ],
    ['propose_plan', inPlanning, UNODC, plan({ ...REGIONAL, sharedKey: 'RW 2027' }), 'activities[0].sharedKey'],
    ['propose_plan', inPlanning, UNODC, plan({ ...REGIONAL, sharedKey: 42 as never }), 'activities[0].sharedKey'],
    ['propose_plan', inPlanning, UNODC, plan({ ...REGIONAL, sharedKey: null as never }), 'activities[0].sharedKey'],
    [
      'propose_plan',
      inPlanning,
      UNODC,
      plan({ ...REGIONAL, modality: 'national_training_workshop' }),
      'activities[0].modality of a shared activity',
    ],
    [
      'propose_plan',
      inPlanning,
      UNODC,
      plan({ ...REGIONAL, modality: 'bilateral_workshop' }),
      'activities[0].modality of a shared activity',
    ],
    [
      'propose_plan',
      inPlanning,
      UNODC,
      plan({ ...REGIONAL, modality: 'online_course' }),
      'activities[0].modality of a shared activity',
    ],
    [
      'propose_plan',
      inPlanning,
      UNODC,
      plan({ ...REGIONAL, participatingStates: ['KEN'] }),
      'activities[0].participatingStates of a shared activity must name another State',
    ],
    [
      'propose_plan',
      inPlanning,
      UNODC,
      plan({ ...REGIONAL, participatingStates: ['KEN', 'KEN'] }),
      'activities[0].participatingStates of a shared activity must name another State',
    ],
    [
      'propose_plan',
      inPlanning,
      UNODC,
      plan({ ...REGIONAL, participatingStates: ['UGA', 'TZA'] }),
      'activities[0].participatingStates must include KEN',
    ],
    [
      'propose_plan',
      inPlanning,
      UNODC,
      plan(REGIONAL, [activity('A0', REGIONAL)]),
      'activities[1].sharedKey RW-2027-EAST-AFRICA-CFT is used twice',
    ],
    ['accept_plan', withProposedPlan, OWN_STATE, { planVersion: 2 }, 'planVersion'],
    ['accept_plan', withProposedPlan, OWN_STATE, {}, 'planVersion'],
    ['request_plan_revision', withProposedPlan, OWN_STATE, { planVersion: 0, comments: 'c' }, 'planVersion'],
    ['request_plan_revision', withProposedPlan, OWN_STATE, { planVersion: 1, comments: '' }, 'comments'],
    ['record_cted_consultation', withProposedPlan, UNODC, { summary: '' }, 'summary'],
    ['record_funding', awaitingFunding, UNODC, { pledgeRef: '', donor: 'Norway', amountUsd: 5 }, 'pledgeRef'],
    ['record_funding', awaitingFunding, UNODC, { pledgeRef: long(121), donor: 'Norway', amountUsd: 5 }, 'pledgeRef'],
    ['record_funding', awaitingFunding, UNODC, { pledgeRef: 'PL-1', donor: '', amountUsd: 5 }, 'donor'],
    ['record_funding', awaitingFunding, UNODC, { pledgeRef: 'PL-1', donor: 'Norway', amountUsd: 0 }, 'amountUsd'],
    ['record_funding', awaitingFunding, UNODC, { pledgeRef: 'PL-1', donor: 'Norway', amountUsd: -500 }, 'amountUsd'],
    ['record_funding', awaitingFunding, UNODC, { pledgeRef: 'PL-1', donor: 'Norway', amountUsd: 99.5 }, 'amountUsd'],
    ['record_funding', awaitingFunding, UNODC, { pledgeRef: 'PL-1', donor: 'Norway', amountUsd: '5000' }, 'amountUsd'],
    ['record_indicators', inDelivery, UNODC, {}, 'at least one indicator'],
    ['record_indicators', inDelivery, UNODC, { officialsTrained: 0 }, 'at least one indicator'],
    ['record_indicators', inDelivery, UNODC, { officialsTrained: -3 }, 'officialsTrained'],
    ['record_indicators', inDelivery, UNODC, { officialsTrained: 2.5 }, 'officialsTrained'],
    ['record_indicators', inDelivery, UNODC, { ratifications: 'all' }, 'ratifications'],
    [
      'record_indicators',
      inDelivery,
      UNODC,
      { ratifications: [{ instrument: '', depositedOn: '2026-01-01' }] },
      'ratifications[0].instrument',
    ],
    [
      'record_indicators',
      inDelivery,
      UNODC,
      { ratifications: [{ instrument: '1999-FINANCING', depositedOn: '2026-02-30x' }] },
      'ratifications[0].depositedOn',
    ],
    [
      'record_indicators',
      inDelivery,
      UNODC,
      { laws: [{ title: 'CT Act', status: 'enacted', date: '2026-01-01' }] },
      'laws[0].status',
    ],
    [
      'record_indicators',
      inDelivery,
      UNODC,
      { laws: [{ title: '', status: 'adopted', date: '2026-01-01' }] },
      'laws[0].title',
    ],
    [
      'record_indicators',
      inDelivery,
      UNODC,
      { laws: [{ title: 'CT Act', status: 'drafted', date: 'soon' }] },
      'laws[0].date',
    ],
    ['submit_evaluation', inFollowUp, OWN_STATE, { relevance: 0, usefulness: 3, comments: 'c' }, 'relevance'],
    ['submit_evaluation', inFollowUp, OWN_STATE, { relevance: 3, usefulness: 6, comments: 'c' }, 'usefulness'],
    ['submit_evaluation', inFollowUp, OWN_STATE, { relevance: 3.5, usefulness: 3, comments: 'c' }, 'relevance'],
    ['submit_evaluation', inFollowUp, OWN_STATE, { relevance: 3, usefulness: 3, comments: '' }, 'comments'],
    [
      'submit_evaluation',
      inFollowUp,
      OWN_STATE,
      { relevance: 3, usefulness: 3, comments: 'c', furtherNeeds: [{ thematicArea: 'space_law', description: 'd' }] },
      'furtherNeeds[0].thematicArea',
    ],
    [
      'submit_evaluation',
      inFollowUp,
      OWN_STATE,
      { relevance: 3, usefulness: 3, comments: 'c', furtherNeeds: [{ thematicArea: 'ratification', description: '' }] },
      'furtherNeeds[0].description',
    ],
    ['withdraw', inDelivery, OWN_STATE, { reason: '' }, 'reason'],
    ['withdraw', inReview, OWN_STATE, { reason: long(4001) }, 'reason'],
  ];

  it.each(cases.map(([type, build, actor, payload, field], i) => [i, type, field, build, actor, payload] as const))(
    '#%i %s refuses a bad payload with INVALID_PAYLOAD naming %s',
    (_i, type, field, build, actor, payload) => {
      const c = build();
      const before = structuredClone(c.state);
      const err = refusal(() => validateDecision(c.state, decision(type, actor, payload as never)));
      expect(err.code).toBe('INVALID_PAYLOAD');
      expect(err.message).toContain(field);
      expect(c.state).toEqual(before);
    },
  );

  // The API checks only that the payload is a JSON object; everything inside comes from the
  // client, so a wrongly shaped payload must be refused as INVALID_PAYLOAD, never crash.
  const shapes: [DecisionType, () => Case, Actor, unknown][] = [
    ['refer_needs', inReview, CTED, { referrals: [null] }],
    ['refer_needs', inReview, CTED, { referrals: 'need-1' }],
    ['propose_plan', inPlanning, UNODC, { activities: [null] }],
    ['propose_plan', inPlanning, UNODC, { activities: [{ ...activity('A1'), participatingStates: 'KEN' }] }],
    ['record_indicators', inDelivery, UNODC, { ratifications: [null] }],
    ['record_indicators', inDelivery, UNODC, { laws: [null] }],
    ['submit_evaluation', inFollowUp, OWN_STATE, { relevance: 3, usefulness: 3, comments: 'c', furtherNeeds: 'more' }],
    ['submit_evaluation', inFollowUp, OWN_STATE, { relevance: 3, usefulness: 3, comments: 'c', furtherNeeds: [null] }],
    ['request_information', inReview, CTED, { questions: 'why?' }],
  ];
  it.each(shapes.map(([type, build, actor, payload], i) => [i, type, build, actor, payload] as const))(
    'shape #%i: %s with a wrongly shaped payload is refused with INVALID_PAYLOAD',
    (_i, type, build, actor, payload) => {
      const c = build();
      expect(refusal(() => validateDecision(c.state, decision(type, actor, payload as never))).code).toBe(
        'INVALID_PAYLOAD',
      );
    },
  );

  it.each(DECISION_TYPES.filter((t) => t !== 'approve_plan' && t !== 'complete_delivery').map((t) => [t]))(
    '%s with a null payload is refused with a DomainError, not a crash',
    (type) => {
      const stage = COLUMNS.find((s) => WHO_MAY[type][COLUMNS.indexOf(s)] !== '')!;
      const c = stateFor(stage, type);
      const actor =
        WHO_MAY[type][COLUMNS.indexOf(stage)] === 'S'
          ? OWN_STATE
          : WHO_MAY[type][COLUMNS.indexOf(stage)] === 'C'
            ? CTED
            : UNODC;
      expect(refusal(() => validateDecision(c.state, decision(type, actor, null as never)))).toBeInstanceOf(
        DomainError,
      );
    },
  );

  it('accepts boundary values: 4000-character text, budget 0, one-day activity, relevance 1 and 5', () => {
    const c = inPlanning();
    expect(
      verdictOf(
        c.state,
        decision(
          'propose_plan',
          UNODC,
          plan({ budgetUsd: 0, startDate: '2026-06-01', endDate: '2026-06-01', title: long(300) }),
        ),
      ),
    ).toBe('ALLOWED');
    expect(verdictOf(inReview().state, decision('decline', CTED, { reason: long(4000) }))).toBe('ALLOWED');
    const f = inFollowUp();
    expect(
      verdictOf(f.state, decision('submit_evaluation', OWN_STATE, { relevance: 1, usefulness: 5, comments: 'c' })),
    ).toBe('ALLOWED');
  });
});

// ---------------------------------------------------------------------------------------------
describe('referential and readiness errors', () => {
  it('UNKNOWN_NEED: referring a need the request does not have', () => {
    const c = inReview();
    const err = refusal(() =>
      validateDecision(
        c.state,
        decision('refer_needs', CTED, {
          referrals: [{ needIds: ['need-1', 'need-2', 'need-9'], provider: { kind: 'unodc_tpb' }, rationale: 'r' }],
        }),
      ),
    );
    expect(err.code).toBe('UNKNOWN_NEED');
    expect(err.message).toContain('need-9');
  });

  it('UNKNOWN_REFERRAL: recording the outcome of a referral that does not exist', () => {
    const c = inExternalReferral();
    const err = refusal(() =>
      validateDecision(
        c.state,
        decision('record_referral_outcome', CTED, { referralId: 'ref-99', delivered: true, notes: 'n' }),
      ),
    );
    expect(err.code).toBe('UNKNOWN_REFERRAL');
    expect(err.message).toContain('ref-99');
  });

  const notReady: [string, () => Case, DecisionType, Actor, unknown][] = [
    ['approve before any plan', inPlanning, 'approve_plan', UNODC, {}],
    ['approve before the State agreed', withProposedPlan, 'approve_plan', UNODC, {}],
    [
      'approve after a revision request',
      () => {
        const c = withProposedPlan();
        c.decide('record_cted_consultation', UNODC, { summary: 's' });
        c.decide('request_plan_revision', OWN_STATE, { planVersion: 1, comments: 'c' });
        return c;
      },
      'approve_plan',
      UNODC,
      {},
    ],
    ['approve before CTED consultation', () => withAgreedPlan(false), 'approve_plan', UNODC, {}],
    ['accept with no plan', inPlanning, 'accept_plan', OWN_STATE, { planVersion: 1 }],
    ['accept an already agreed plan', () => withAgreedPlan(false), 'accept_plan', OWN_STATE, { planVersion: 1 }],
    ['request revision of no plan', inPlanning, 'request_plan_revision', OWN_STATE, { planVersion: 1, comments: 'c' }],
    [
      'request revision of an agreed plan',
      () => withAgreedPlan(false),
      'request_plan_revision',
      OWN_STATE,
      { planVersion: 1, comments: 'c' },
    ],
    ['revise an agreed plan', () => withAgreedPlan(false), 'propose_plan', UNODC, { activities: PLAN }],
    ['consult CTED with no plan', inPlanning, 'record_cted_consultation', UNODC, { summary: 's' }],
    ['complete delivery with scheduled activities', inDelivery, 'complete_delivery', UNODC, {}],
    [
      'complete delivery with one activity still scheduled',
      () => inDelivery().finishActivity('A1', 'delivered'),
      'complete_delivery',
      UNODC,
      {},
    ],
    [
      'complete delivery with every activity cancelled',
      () => inDelivery().finishActivity('A1', 'cancelled').finishActivity('A2', 'cancelled'),
      'complete_delivery',
      UNODC,
      {},
    ],
  ];
  it.each(notReady)('PLAN_NOT_READY: %s', (_label, build, type, actor, payload) => {
    const c = build();
    const before = structuredClone(c.state);
    expect(refusal(() => validateDecision(c.state, decision(type, actor, payload as never))).code).toBe(
      'PLAN_NOT_READY',
    );
    expect(c.state).toEqual(before);
  });

  it('ALREADY_RECORDED: the same pledge recorded twice', () => {
    const c = withProposedPlan();
    c.decide('record_funding', UNODC, { pledgeRef: 'PL-NOR-7', donor: 'Norway', amountUsd: 10_000 });
    const err = refusal(() =>
      validateDecision(
        c.state,
        decision('record_funding', UNODC, { pledgeRef: 'PL-NOR-7', donor: 'Norway', amountUsd: 10_000 }),
      ),
    );
    expect(err.code).toBe('ALREADY_RECORDED');
    expect(err.message).toContain('PL-NOR-7');
  });

  it('ALREADY_RECORDED: a pledge recorded while waiting for funding cannot be recorded again during delivery', () => {
    const c = inDelivery();
    const err = refusal(() =>
      validateDecision(
        c.state,
        decision('record_funding', UNODC, { pledgeRef: 'PL-NOR-1', donor: 'Norway', amountUsd: 1 }),
      ),
    );
    expect(err.code).toBe('ALREADY_RECORDED');
  });

  it('ALREADY_RECORDED: a referral outcome recorded twice', () => {
    const c = inExternalReferral();
    c.decide('record_referral_outcome', CTED, { referralId: 'ref-1', delivered: true, notes: 'n' });
    const err = refusal(() =>
      validateDecision(
        c.state,
        decision('record_referral_outcome', CTED, { referralId: 'ref-1', delivered: false, notes: 'changed mind' }),
      ),
    );
    expect(err.code).toBe('ALREADY_RECORDED');
    expect(c.state.referrals[0].outcome?.delivered).toBe(true);
  });

  it('ALREADY_RECORDED: a referral outcome recorded twice after the request moved on to planning', () => {
    const c = withProposedPlan();
    c.decide('record_referral_outcome', CTED, { referralId: 'ref-2', delivered: true, notes: 'n' });
    expect(
      refusal(() =>
        validateDecision(
          c.state,
          decision('record_referral_outcome', CTED, { referralId: 'ref-2', delivered: true, notes: 'n' }),
        ),
      ).code,
    ).toBe('ALREADY_RECORDED');
  });

  it('a refused decision leaves the state exactly as it was', () => {
    for (const stage of COLUMNS) {
      for (const type of DECISION_TYPES) {
        const c = stateFor(stage, type);
        const before = structuredClone(c.state);
        for (const actor of Object.values(ACTORS)) {
          try {
            validateDecision(c.state, decision(type, actor, validPayload(type, c.state)));
          } catch {
            // refused: fine
          }
          expect(c.state).toEqual(before);
        }
      }
    }
  });
});

describe('availableDecisions: what a user can take now (the forms the application offers)', () => {
  const forUnodc = (c: Case) => availableDecisions(c.state, UNODC);
  const forKenya = (c: Case) => availableDecisions(c.state, OWN_STATE);

  it('offers no approval before a plan is agreed and CTED consulted, nor consultation before a plan', () => {
    expect(forUnodc(inPlanning())).not.toEqual(expect.arrayContaining(['approve_plan']));
    expect(forUnodc(inPlanning())).not.toContain('record_cted_consultation');
    expect(forUnodc(withProposedPlan())).toContain('record_cted_consultation');
    expect(forUnodc(withProposedPlan())).not.toContain('approve_plan');
    expect(forUnodc(withAgreedPlan(false))).not.toContain('approve_plan');
    expect(forUnodc(withAgreedPlan(true))).toContain('approve_plan');
  });

  it('offers the State a plan to accept or revise only while one is proposed', () => {
    expect(forKenya(inPlanning())).not.toContain('accept_plan');
    expect(forKenya(withProposedPlan())).toEqual(expect.arrayContaining(['accept_plan', 'request_plan_revision']));
    expect(forKenya(withAgreedPlan())).not.toContain('accept_plan');
  });

  it('offers completion only once no activity is scheduled and one was delivered', () => {
    expect(forUnodc(inDelivery())).not.toContain('complete_delivery');
    expect(forUnodc(inDeliveryAllDelivered())).toContain('complete_delivery');
  });

  it('is what validateDecision then accepts: every decision it hides is refused for the same reason', () => {
    for (const c of [inPlanning(), withProposedPlan(), withAgreedPlan(false), inDelivery()]) {
      for (const type of allowedDecisions(c.state, UNODC).filter((t) => !forUnodc(c).includes(t))) {
        const err = refusal(() => validateDecision(c.state, decision(type, UNODC, validPayload(type, c.state))));
        expect(err.code).toBe('PLAN_NOT_READY');
      }
    }
  });
});
