import { randomUUID } from 'crypto';
import type { LinkedRequest, PersistEventsInput } from '@app/contracts';
import { DomainEvent, PlannedActivity, RequestState, Role } from '@app/domain';
import { EventStore } from '@app/persistence';
import { REPORT_NAMES } from '../apps/api/src/reports/report-queries';
import { ReportResult, ReportRow, ReportsService } from '../apps/api/src/reports/reports.service';
import { ACCOUNTS, TestStack, startStack } from './support/test-stack';

jest.setTimeout(120_000);

/**
 * A small hand-computed fixture in 2031, a year no other test writes to. Every figure asserted
 * below is worked out by hand from it (see the comments). References are unique per run.
 */
const RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`.toUpperCase();
const ref = (x: string) => `RPT-${RUN}-${x}`;
const at = (day: string) => `${day}T09:00:00.000Z`;
const Y2031 = { from: '2031-01-01', to: '2031-12-31' };

const CTED = { userId: 'cted-officer', role: Role.CtedOfficer };
const UNODC = { userId: 'unodc-manager', role: Role.UnodcManager };
const SYSTEM = { userId: 'system', role: Role.System };

interface Fixture {
  key: string;
  memberState: string;
  region: string;
  stage: string;
  outcome?: string;
  overdue: boolean;
  submittedAt: string;
  events: { type: string; at: string; payload?: Record<string, unknown>; actor?: DomainEvent['actor'] }[];
  activities?: {
    planned: PlannedActivity;
    status: 'delivered' | 'cancelled';
    deliveredOn?: string;
    participantsByState?: Record<string, number>;
    officialsTrainedByProfession?: Record<string, number>;
  }[];
}

const activity = (key: string, modality: string, states: string[], startDate: string): PlannedActivity => ({
  key,
  title: `${modality} ${key}`,
  modality,
  thematicArea: 'legislative_incorporation',
  startDate,
  endDate: startDate,
  place: 'Nairobi',
  participatingStates: states,
  partners: [],
  budgetUsd: 10_000,
});
const referral = (needIds: string[], provider: Record<string, unknown>) => ({
  needIds,
  provider,
  rationale: 'receptive provider',
});
const stage = (from: string, to: string, day: string) => ({
  type: 'stage_changed',
  at: at(day),
  payload: { from, to },
});

// A (KEN, Africa): UNODC + an external referral; two activities delivered: A1 national (KEN), A2 a regional
// workshop serving KEN, UGA and TZA. Stays: cted_review 10 d, unodc_planning 26 d, awaiting_funding 10 d, delivery 101 d.
// B (IDN, Asia): external referral to Japan, not delivered; closed. Stays: cted_review 4 d, external_referral 61 d.
// C (COL, Americas): UNODC; C1 online course delivered (COL, PER; ECU listed with 0), C2 cancelled, C3 delivered in 2032.
//   Stays: cted_review 2 d, unodc_planning 17 d.
// D (JOR, Asia): submitted, still in CTED review, overdue.
// E (NGA, Africa): submitted in 2030 (outside the period), referred to UNODC in 2031: cted_review stay of 21 d.
const FIXTURES: Fixture[] = [
  {
    key: 'A',
    memberState: 'KEN',
    region: 'Africa',
    stage: 'follow_up_evaluation',
    overdue: false,
    submittedAt: at('2031-01-05'),
    events: [
      {
        type: 'refer_needs',
        at: at('2031-01-15'),
        actor: CTED,
        payload: {
          referrals: [
            referral(['need-1'], { kind: 'unodc_tpb' }),
            referral(['need-2'], { kind: 'external', name: 'European Union' }),
          ],
        },
      },
      stage('cted_review', 'unodc_planning', '2031-01-15'),
      { type: 'overdue', at: at('2031-02-01'), payload: { stage: 'unodc_planning', owner: 'unodc_manager' } },
      { type: 'approve_plan', at: at('2031-02-10'), actor: UNODC, payload: {} },
      { type: 'cted_informed', at: at('2031-02-10'), payload: { planVersion: 1, budgetUsd: 20_000 } },
      stage('unodc_planning', 'awaiting_funding', '2031-02-10'),
      {
        type: 'record_funding',
        at: at('2031-02-20'),
        actor: UNODC,
        payload: { pledgeRef: 'P-1', donor: 'SWE', amountUsd: 50_000 },
      },
      { type: 'funding_covered', at: at('2031-02-20'), payload: { fundedUsd: 50_000, budgetUsd: 20_000 } },
      stage('awaiting_funding', 'delivery', '2031-02-20'),
      // CTED's clock on the EU referral (its outcome is CTED's to record) ran out during delivery.
      {
        type: 'referral_overdue',
        at: at('2031-03-20'),
        payload: { referralId: 'ref-2', stage: 'delivery', owner: 'cted_officer' },
      },
      {
        type: 'record_referral_outcome',
        at: at('2031-04-01'),
        actor: CTED,
        payload: { referralId: 'ref-2', delivered: true, notes: 'EU workshop held' },
      },
      { type: 'overdue', at: at('2031-04-15'), payload: { stage: 'delivery', owner: 'unodc_manager' } },
      // The request stream's own activity events must not be counted a second time.
      {
        type: 'activity_delivered',
        at: at('2031-05-21'),
        payload: {
          key: 'A2',
          status: 'delivered',
          participantsByState: { KEN: 8, UGA: 6, TZA: 7 },
          officialsTrained: 18,
        },
      },
      { type: 'complete_delivery', at: at('2031-06-01'), actor: UNODC, payload: {} },
      stage('delivery', 'follow_up_evaluation', '2031-06-01'),
      {
        type: 'record_indicators',
        at: at('2031-06-15'),
        actor: UNODC,
        payload: {
          ratifications: [
            { instrument: '1999-FINANCING', depositedOn: '2031-06-10' },
            { instrument: '2005-NUCLEAR-TERRORISM', depositedOn: '2031-06-11' },
          ],
          laws: [{ title: 'Prevention of Terrorism (Amendment) Bill', status: 'drafted', date: '2031-06-01' }],
          officialsTrained: 40,
        },
      },
    ],
    activities: [
      {
        planned: activity('A1', 'national_training_workshop', ['KEN'], '2031-03-09'),
        status: 'delivered',
        deliveredOn: '2031-03-10',
        participantsByState: { KEN: 25 },
        officialsTrainedByProfession: { judge: 10, prosecutor: 12 },
      },
      {
        planned: activity('A2', 'regional_workshop', ['KEN', 'UGA', 'TZA'], '2031-05-19'),
        status: 'delivered',
        deliveredOn: '2031-05-20',
        participantsByState: { KEN: 8, UGA: 6, TZA: 7 },
        officialsTrainedByProfession: { police: 15, judge: 3 },
      },
    ],
  },
  {
    key: 'B',
    memberState: 'IDN',
    region: 'Asia',
    stage: 'closed',
    outcome: 'referred_externally_not_delivered',
    overdue: false,
    submittedAt: at('2031-02-25'),
    events: [
      {
        type: 'refer_needs',
        at: at('2031-03-01'),
        actor: CTED,
        payload: { referrals: [referral(['need-1'], { kind: 'external', name: 'Japan' })] },
      },
      stage('cted_review', 'external_referral', '2031-03-01'),
      { type: 'overdue', at: at('2031-04-01'), payload: { stage: 'external_referral', owner: 'cted_officer' } },
      {
        type: 'record_referral_outcome',
        at: at('2031-05-01'),
        actor: CTED,
        payload: { referralId: 'ref-1', delivered: false, notes: 'no capacity' },
      },
      stage('external_referral', 'closed', '2031-05-01'),
      { type: 'closed', at: at('2031-05-01'), payload: { outcome: 'referred_externally_not_delivered' } },
    ],
  },
  {
    key: 'C',
    memberState: 'COL',
    region: 'Americas',
    stage: 'delivery',
    overdue: true,
    submittedAt: at('2031-07-01'),
    events: [
      {
        type: 'refer_needs',
        at: at('2031-07-03'),
        actor: CTED,
        payload: { referrals: [referral(['need-1', 'need-2'], { kind: 'unodc_tpb' })] },
      },
      stage('cted_review', 'unodc_planning', '2031-07-03'),
      {
        type: 'record_funding',
        at: at('2031-07-10'),
        actor: UNODC,
        payload: { pledgeRef: 'P-2', donor: 'Sweden', amountUsd: 20_000 },
      },
      {
        type: 'record_funding',
        at: at('2031-07-11'),
        actor: UNODC,
        payload: { pledgeRef: 'P-3', donor: 'Gulf Fund', amountUsd: 5_000 },
      },
      { type: 'approve_plan', at: at('2031-07-20'), actor: UNODC, payload: {} },
      stage('unodc_planning', 'delivery', '2031-07-20'),
      { type: 'overdue', at: at('2031-08-01'), payload: { stage: 'delivery', owner: 'unodc_manager' } },
      {
        type: 'record_indicators',
        at: at('2031-12-20'),
        actor: UNODC,
        payload: {
          ratifications: [],
          laws: [
            { title: 'Anti-Terrorism Act', status: 'adopted', date: '2031-12-01' },
            { title: 'Financing Bill', status: 'drafted', date: '2031-12-02' },
          ],
        },
      },
    ],
    activities: [
      {
        planned: activity('C1', 'online_course', ['COL', 'PER', 'ECU'], '2031-09-01'),
        status: 'delivered',
        deliveredOn: '2031-09-15',
        participantsByState: { COL: 5, PER: 4, ECU: 0 },
        officialsTrainedByProfession: { other: 9 },
      },
      { planned: activity('C2', 'mock_trial', ['COL'], '2031-10-01'), status: 'cancelled' },
      {
        planned: activity('C3', 'study_visit', ['COL'], '2031-12-30'),
        status: 'delivered',
        deliveredOn: '2032-01-10',
        participantsByState: { COL: 50 },
        officialsTrainedByProfession: { judge: 50 },
      },
    ],
  },
  {
    key: 'D',
    memberState: 'JOR',
    region: 'Asia',
    stage: 'cted_review',
    overdue: true,
    submittedAt: at('2031-10-01'),
    events: [{ type: 'overdue', at: at('2031-10-20'), payload: { stage: 'cted_review', owner: 'cted_officer' } }],
  },
  {
    key: 'E',
    memberState: 'NGA',
    region: 'Africa',
    stage: 'unodc_planning',
    overdue: false,
    submittedAt: at('2030-12-20'),
    events: [
      {
        type: 'refer_needs',
        at: at('2031-01-10'),
        actor: CTED,
        payload: { referrals: [referral(['need-1'], { kind: 'unodc_tpb' })] },
      },
      stage('cted_review', 'unodc_planning', '2031-01-10'),
    ],
  },
];

async function writeFixture(store: EventStore, f: Fixture): Promise<string> {
  const requestId = randomUUID();
  const reference = ref(f.key);
  const submitted: DomainEvent = {
    type: 'submitted',
    actor: SYSTEM,
    at: f.submittedAt,
    payload: {
      reference,
      memberState: f.memberState,
      origin: 'member_state',
      needs: [],
      consent: null,
      linkedFrom: null,
    },
  };
  const events: DomainEvent[] = [
    submitted,
    ...f.events.map((e) => ({ type: e.type, actor: e.actor ?? SYSTEM, at: e.at, payload: e.payload ?? {} })),
  ];
  const state = {
    requestId,
    reference,
    title: `Reports fixture ${f.key}`,
    memberState: f.memberState,
    region: f.region,
    thematicAreas: ['legislative_incorporation'],
    origin: 'member_state',
    stageEnteredAt: Date.parse(f.submittedAt),
  } as unknown as RequestState;
  const input: PersistEventsInput = {
    requestId,
    stream: requestId,
    firstSeq: 1,
    events,
    snapshot: {
      stage: f.stage as RequestState['stage'],
      outcome: (f.outcome ?? null) as RequestState['outcome'] | null,
      ownerRole: null,
      overdue: f.overdue,
      nextDeadlineAt: null,
      nextDeadlineKind: null,
      state,
    },
  };
  await store.persist(input);
  for (const a of f.activities ?? []) {
    const scheduled: DomainEvent = {
      type: 'activity_scheduled',
      actor: SYSTEM,
      at: at(a.planned.startDate),
      payload: { ...a.planned },
    };
    const report =
      a.status === 'delivered'
        ? {
            deliveredOn: a.deliveredOn!,
            place: a.planned.place,
            participantsByState: a.participantsByState!,
            officialsTrainedByProfession: a.officialsTrainedByProfession!,
            outputs: [],
          }
        : undefined;
    const finished: DomainEvent =
      a.status === 'delivered'
        ? { type: 'activity_delivered', actor: UNODC, at: at(a.deliveredOn!), payload: { ...report } }
        : {
            type: 'activity_cancelled',
            actor: UNODC,
            at: at(a.planned.startDate),
            payload: { reason: 'postponed indefinitely' },
          };
    await store.persist({
      requestId,
      stream: `${requestId}/activity/${a.planned.key}`,
      firstSeq: 1,
      events: [scheduled, finished],
      activity: {
        requestId,
        key: a.planned.key,
        reference,
        status: a.status,
        startDate: a.planned.startDate,
        endDate: a.planned.endDate,
        place: a.planned.place,
        report,
        reschedules: 0,
      },
    });
  }
  return requestId;
}

/**
 * S: one shared regional workshop (IGAD) serving three requests of three States at once: S1 (ETH,
 * key RW), S2 (SOM, key RW), S3 (DJI, key IGAD-WS), all submitted in 2030 and still in delivery.
 * One activity (stream shared-activity/<key>, events under S1), one delivery_activities row per
 * linked request with the same activity_ref. Delivered 2031-11-10: ETH 10, SOM 6, DJI 4
 * participants; prosecutor 8, police 5 officials. It must count once in every total and once for
 * each of the three States, its participants once.
 */
const SHARED_KEY = `RW-IGAD-${RUN}`;
const SHARED_LINKS = [
  { x: 'S1', memberState: 'ETH', key: 'RW' },
  { x: 'S2', memberState: 'SOM', key: 'RW' },
  { x: 'S3', memberState: 'DJI', key: 'IGAD-WS' },
];

async function writeSharedFixture(store: EventStore): Promise<string[]> {
  const links: LinkedRequest[] = [];
  for (const l of SHARED_LINKS) {
    const requestId = await writeFixture(store, {
      key: l.x,
      memberState: l.memberState,
      region: 'Africa',
      stage: 'delivery',
      overdue: false,
      submittedAt: at('2030-11-01'),
      events: [],
    });
    links.push({
      requestId,
      reference: ref(l.x),
      key: l.key,
      memberState: l.memberState,
      parentWorkflowId: `assistance-request/${ref(l.x)}`,
      active: true,
    });
  }
  const planned = {
    ...activity('RW', 'regional_workshop', ['ETH', 'SOM', 'DJI'], '2031-11-09'),
    place: 'Djibouti',
    sharedKey: SHARED_KEY,
  };
  const report = {
    deliveredOn: '2031-11-10',
    place: 'Djibouti',
    participantsByState: { ETH: 10, SOM: 6, DJI: 4 },
    officialsTrainedByProfession: { prosecutor: 8, police: 5 },
    outputs: [],
  };
  const stream = `shared-activity/${SHARED_KEY}`;
  const first = links[0];
  const view = {
    key: 'RW',
    reference: first.reference,
    startDate: planned.startDate,
    endDate: planned.endDate,
    place: 'Djibouti',
    reschedules: 0,
    sharedKey: SHARED_KEY,
  };
  const linked = ({ active: _active, ...l }: LinkedRequest): DomainEvent => ({
    type: 'request_linked',
    actor: SYSTEM,
    at: at('2031-09-01'),
    payload: { ...l },
  });
  // As the workflow writes it: scheduled and linked to S1 first; S2 and S3 join later; then delivered.
  await store.persist({
    requestId: first.requestId,
    stream,
    firstSeq: 1,
    events: [
      { type: 'activity_scheduled', actor: SYSTEM, at: at('2031-09-01'), payload: { ...planned } },
      linked(first),
    ],
    activity: { ...view, requestId: first.requestId, status: 'scheduled', linked: [first] },
  });
  await store.persist({
    requestId: first.requestId,
    stream,
    firstSeq: 3,
    events: [
      linked(links[1]),
      linked(links[2]),
      { type: 'activity_delivered', actor: UNODC, at: at('2031-11-10'), payload: { ...report } },
    ],
    activity: { ...view, requestId: first.requestId, status: 'delivered', report, linked: links },
  });
  return links.map((l) => l.requestId);
}

const activityItem = (x: string, key: string) => ({ reference: ref(x), activityKey: key });
const requestItem = (x: string) => ({ reference: ref(x) });
const rowsOf = (body: ReportResult): ReportRow[] => body.rows;

describe('reports over a hand-computed fixture (2031)', () => {
  let stack: TestStack;
  let token: string;
  let service: ReportsService;

  const get = async (report: string, query: Record<string, string> = Y2031) => {
    const res = await stack.http
      .get(`/api/v1/reports/${report}`)
      .query(query)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    return res.body;
  };

  beforeAll(async () => {
    stack = await startStack('reports', { worker: false });
    token = await stack.tokenFor(ACCOUNTS.unodc);
    service = stack.api.get(ReportsService);
    const store = new EventStore(stack.ds);
    for (const f of FIXTURES) await writeFixture(store, f);
    // The fixture is a valid, hash-chained log.
    const [{ id }] = await stack.ds.query('SELECT id FROM assistance_requests WHERE reference = $1', [ref('A')]);
    const verdicts = await store.verify(id);
    expect(Object.keys(verdicts)).toHaveLength(3);
    expect(Object.values(verdicts).every((v) => v.ok)).toBe(true);
    const sharedIds = await writeSharedFixture(store);
    const sharedVerdicts = await store.verify(sharedIds[0]);
    expect(sharedVerdicts[`shared-activity/${SHARED_KEY}`]).toMatchObject({ ok: true });
  });

  it('a shared activity has one read-model row per linked request, all with the same activity_ref', async () => {
    const rows = await stack.ds.query(
      `SELECT d.reference, d.key, d.activity_ref, d.status, d.last_event_seq, d.report -> 'participantsByState' AS p
         FROM delivery_activities d WHERE d.activity_ref = $1 ORDER BY d.reference`,
      [`shared/${SHARED_KEY}`],
    );
    expect(rows).toEqual(
      SHARED_LINKS.map((l) => ({
        reference: ref(l.x),
        key: l.key,
        activity_ref: `shared/${SHARED_KEY}`,
        status: 'delivered',
        last_event_seq: 5,
        p: { ETH: 10, SOM: 6, DJI: 4 },
      })),
    );
    const [ordinary] = await stack.ds.query(
      `SELECT activity_ref FROM delivery_activities WHERE reference = $1 AND key = 'A2'`,
      [ref('A')],
    );
    expect(ordinary.activity_ref).toBe(`${ref('A')}/A2`);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('states assisted: distinct States per region, an activity serving several States once', async () => {
    const rows = rowsOf(await get('states-assisted'));
    expect(
      rows.map(({ scope, region, states, activities, stateCodes }) => ({
        scope,
        region,
        states,
        activities,
        stateCodes,
      })),
    ).toEqual([
      // The shared IGAD workshop (three linked requests) is one activity serving ETH, SOM and DJI.
      {
        scope: 'region',
        region: 'Africa',
        states: 6,
        activities: 3,
        stateCodes: ['DJI', 'ETH', 'KEN', 'SOM', 'TZA', 'UGA'],
      },
      { scope: 'region', region: 'Americas', states: 2, activities: 1, stateCodes: ['COL', 'PER'] },
      {
        scope: 'total',
        region: null,
        states: 8,
        activities: 4,
        stateCodes: ['COL', 'DJI', 'ETH', 'KEN', 'PER', 'SOM', 'TZA', 'UGA'],
      },
    ]);
    // In drill-downs a shared activity is named once, by its linked request with the smallest reference.
    expect(rows[0].drilldown).toEqual({
      total: 3,
      truncated: false,
      items: [activityItem('A', 'A1'), activityItem('A', 'A2'), activityItem('S1', 'RW')],
    });
    expect(rows[2].drilldown).toEqual({
      total: 4,
      truncated: false,
      items: [activityItem('A', 'A1'), activityItem('A', 'A2'), activityItem('C', 'C1'), activityItem('S1', 'RW')],
    });
  });

  it('activities by modality and level: each delivered activity once; cancelled and out-of-period ones left out', async () => {
    const rows = rowsOf(await get('activities-by-modality'));
    expect(
      rows.map(({ scope, level, modality, form, activities }) => ({ scope, level, modality, form, activities })),
    ).toEqual([
      { scope: 'modality', level: 'national', modality: 'national_training_workshop', form: 'national', activities: 1 },
      { scope: 'level', level: 'national', modality: null, form: null, activities: 1 },
      // A2 and the shared IGAD workshop (its modality read from its own stream, counted once).
      { scope: 'modality', level: 'regional', modality: 'regional_workshop', form: 'regional', activities: 2 },
      { scope: 'level', level: 'regional', modality: null, form: null, activities: 2 },
      { scope: 'modality', level: 'international', modality: 'online_course', form: 'online', activities: 1 },
      { scope: 'level', level: 'international', modality: null, form: null, activities: 1 },
      { scope: 'total', level: null, modality: null, form: null, activities: 4 },
    ]);
    expect(rows[2].drilldown).toEqual({
      total: 2,
      truncated: false,
      items: [activityItem('A', 'A2'), activityItem('S1', 'RW')],
    });
  });

  it('participants: the regional workshop counts once in the totals and once for each State it served', async () => {
    const rows = rowsOf(await get('participants'));
    const pick = ({ scope, key, activities, states, participants, officialsTrained }: Record<string, unknown>) => ({
      scope,
      key,
      activities,
      states,
      participants,
      officialsTrained,
    });
    expect(rows.map(pick)).toEqual([
      { scope: 'state', key: 'COL', activities: 1, states: 1, participants: 5, officialsTrained: null },
      // The shared workshop: once for each of its three States, their participants once (not once per linked request).
      { scope: 'state', key: 'DJI', activities: 1, states: 1, participants: 4, officialsTrained: null },
      { scope: 'state', key: 'ETH', activities: 1, states: 1, participants: 10, officialsTrained: null },
      { scope: 'state', key: 'KEN', activities: 2, states: 1, participants: 33, officialsTrained: null },
      { scope: 'state', key: 'PER', activities: 1, states: 1, participants: 4, officialsTrained: null },
      { scope: 'state', key: 'SOM', activities: 1, states: 1, participants: 6, officialsTrained: null },
      { scope: 'state', key: 'TZA', activities: 1, states: 1, participants: 7, officialsTrained: null },
      { scope: 'state', key: 'UGA', activities: 1, states: 1, participants: 6, officialsTrained: null },
      { scope: 'profession', key: 'judge', activities: 2, states: null, participants: null, officialsTrained: 13 },
      { scope: 'profession', key: 'other', activities: 1, states: null, participants: null, officialsTrained: 9 },
      { scope: 'profession', key: 'police', activities: 2, states: null, participants: null, officialsTrained: 20 },
      { scope: 'profession', key: 'prosecutor', activities: 2, states: null, participants: null, officialsTrained: 20 },
      // 55 + 20 participants and 49 + 13 officials: the shared workshop's report is added once.
      { scope: 'total', key: null, activities: 4, states: 8, participants: 75, officialsTrained: 62 },
    ]);
    const perState = rows.filter((r) => r.scope === 'state');
    // 4 activities; A2 counted for KEN, UGA and TZA, the shared workshop for ETH, SOM and DJI.
    expect(perState.reduce((a, r) => a + (r.activities as number), 0)).toBe(9);
    expect(perState.find((r) => r.key === 'SOM')!.drilldown).toEqual({
      total: 1,
      truncated: false,
      items: [activityItem('S1', 'RW')],
    });
    expect(perState.find((r) => r.key === 'UGA')!.drilldown.items).toEqual([activityItem('A', 'A2')]);
    expect(perState.find((r) => r.key === 'KEN')).toMatchObject({ name: 'Kenya' });
  });

  it('outcomes count each fact by its own date: deposited in 2033, recorded in 2034, counted in 2033', async () => {
    await writeFixture(new EventStore(stack.ds), {
      key: 'LATE',
      memberState: 'PER',
      region: 'Americas',
      stage: 'follow_up_evaluation',
      overdue: false,
      submittedAt: at('2033-03-01'),
      events: [
        {
          type: 'record_indicators',
          at: at('2034-01-10'),
          actor: UNODC,
          payload: {
            ratifications: [{ instrument: '1999-FINANCING', depositedOn: '2033-12-28' }],
            laws: [{ title: 'Counter-Terrorism Act', status: 'adopted', date: '2033-11-30' }],
            officialsTrained: 12,
          },
        },
      ],
    });
    const total = (rows: ReportRow[], indicator: string) =>
      Number(rows.find((r) => r.indicator === indicator && r.scope === 'total')?.count ?? 0);
    const y2033 = rowsOf(await get('outcomes', { from: '2033-01-01', to: '2033-12-31' }));
    const y2034 = rowsOf(await get('outcomes', { from: '2034-01-01', to: '2034-12-31' }));
    expect([total(y2033, 'ratification'), total(y2034, 'ratification')]).toEqual([1, 0]);
    expect([total(y2033, 'law'), total(y2034, 'law')]).toEqual([1, 0]);
    // Officials trained carry no date of their own: they count when recorded.
    expect([total(y2033, 'officials_trained'), total(y2034, 'officials_trained')]).toEqual([0, 12]);
  });

  it('outcomes: ratifications per instrument, laws per status, officials trained', async () => {
    const rows = rowsOf(await get('outcomes'));
    expect(
      rows.map(({ indicator, scope, key, name, count, states }) => ({ indicator, scope, key, name, count, states })),
    ).toEqual([
      {
        indicator: 'ratification',
        scope: 'instrument',
        key: '1999-FINANCING',
        name: expect.stringMatching(/Financing/),
        count: 1,
        states: 1,
      },
      {
        indicator: 'ratification',
        scope: 'instrument',
        key: '2005-NUCLEAR-TERRORISM',
        name: expect.stringMatching(/Nuclear/),
        count: 1,
        states: 1,
      },
      { indicator: 'ratification', scope: 'total', key: null, name: null, count: 2, states: 1 },
      { indicator: 'law', scope: 'status', key: 'adopted', name: null, count: 1, states: 1 },
      { indicator: 'law', scope: 'status', key: 'drafted', name: null, count: 2, states: 2 },
      { indicator: 'law', scope: 'total', key: null, name: null, count: 3, states: 2 },
      { indicator: 'officials_trained', scope: 'total', key: null, name: null, count: 40, states: 1 },
    ]);
    expect(rows[4].drilldown.items).toEqual([requestItem('A'), requestItem('C')]);
  });

  it('referral funnel: per provider, referred / planned / delivered / outcome recorded', async () => {
    const rows = rowsOf(await get('referral-funnel'));
    expect(
      rows.map(({ scope, providerKind, provider, referred, planned, delivered, outcomesRecorded }) => ({
        scope,
        providerKind,
        provider,
        referred,
        planned,
        delivered,
        outcomesRecorded,
      })),
    ).toEqual([
      // A ref-1 (approved, delivered, delivery completed), C ref-1 (approved, C1 delivered), E ref-1 (nothing yet).
      {
        scope: 'provider',
        providerKind: 'unodc_tpb',
        provider: 'UNODC TPB',
        referred: 3,
        planned: 2,
        delivered: 2,
        outcomesRecorded: 1,
      },
      {
        scope: 'provider',
        providerKind: 'external',
        provider: 'European Union',
        referred: 1,
        planned: null,
        delivered: 1,
        outcomesRecorded: 1,
      },
      {
        scope: 'provider',
        providerKind: 'external',
        provider: 'Japan',
        referred: 1,
        planned: null,
        delivered: 0,
        outcomesRecorded: 1,
      },
      {
        scope: 'total',
        providerKind: null,
        provider: null,
        referred: 5,
        planned: 2,
        delivered: 3,
        outcomesRecorded: 3,
      },
    ]);
    expect(rows[1].drilldown.items).toEqual([
      { reference: ref('A'), referralId: 'ref-2', planned: null, delivered: true, outcomeRecorded: true },
    ]);
    expect(rows[0].drilldown.items.map((i) => i.reference)).toEqual([ref('A'), ref('C'), ref('E')]);
  });

  it('contributions: funding recorded in 2031 per donor (codes and names matched to donors), no annex rows', async () => {
    const rows = rowsOf(await get('contributions'));
    expect(
      rows.map(({ source, scope, donor, donorName, year, amountUsd, entries }) => ({
        source,
        scope,
        donor,
        donorName,
        year,
        amountUsd,
        entries,
      })),
    ).toEqual([
      {
        source: 'recorded',
        scope: 'donor_year',
        donor: 'Gulf Fund',
        donorName: 'Gulf Fund',
        year: 2031,
        amountUsd: 5_000,
        entries: 1,
      },
      {
        source: 'recorded',
        scope: 'donor_year',
        donor: 'SWE',
        donorName: 'Sweden',
        year: 2031,
        amountUsd: 70_000,
        entries: 2,
      },
      { source: 'recorded', scope: 'total', donor: null, donorName: null, year: null, amountUsd: 75_000, entries: 3 },
    ]);
    expect(rows[1].drilldown.items).toEqual([
      { reference: ref('A'), pledgeRef: 'P-1' },
      { reference: ref('C'), pledgeRef: 'P-2' },
    ]);
  });

  it('contributions: the annex of report 000 adds up to USD 39,024,221 over 1999-2009', async () => {
    const rows = rowsOf(await get('contributions', { from: '1999-01-01', to: '2009-12-31' })).filter(
      (r) => r.source === 'annex',
    );
    const total = rows.find((r) => r.scope === 'total')!;
    expect(total).toMatchObject({ amountUsd: 39_024_221, entries: 112 });
    const cells = rows.filter((r) => r.scope === 'donor_year');
    expect(cells.filter((r) => r.year === 1999).reduce((a, r) => a + (r.amountUsd as number), 0)).toBe(876_936);
    expect(cells.filter((r) => r.year === 2009).reduce((a, r) => a + (r.amountUsd as number), 0)).toBe(8_580_632);
    expect(cells.find((r) => r.donor === 'USA' && r.year === 1999)).toMatchObject({
      periodEnd: 2002,
      amountUsd: 230_000,
    });
    // A period that only overlaps 1999-2002 still finds that column.
    const early = rowsOf(await get('contributions', { from: '2001-01-01', to: '2001-12-31' })).filter(
      (r) => r.source === 'annex' && r.scope === 'total',
    );
    expect(early).toEqual([expect.objectContaining({ amountUsd: 876_936, entries: 5 })]);
  });

  it('time in each stage: stays that ended in 2031, average and median in days', async () => {
    const rows = rowsOf(await get('stage-times'));
    expect(
      rows.map(({ stage, stays, avgDays, medianDays, minDays, maxDays }) => ({
        stage,
        stays,
        avgDays,
        medianDays,
        minDays,
        maxDays,
      })),
    ).toEqual([
      // A 10, B 4, C 2, E 21 (submitted in 2030, left in 2031).
      { stage: 'cted_review', stays: 4, avgDays: 9.25, medianDays: 7, minDays: 2, maxDays: 21 },
      { stage: 'external_referral', stays: 1, avgDays: 61, medianDays: 61, minDays: 61, maxDays: 61 },
      { stage: 'unodc_planning', stays: 2, avgDays: 21.5, medianDays: 21.5, minDays: 17, maxDays: 26 },
      { stage: 'awaiting_funding', stays: 1, avgDays: 10, medianDays: 10, minDays: 10, maxDays: 10 },
      { stage: 'delivery', stays: 1, avgDays: 101, medianDays: 101, minDays: 101, maxDays: 101 },
    ]);
    expect(rows[0].drilldown.items).toEqual([requestItem('A'), requestItem('B'), requestItem('C'), requestItem('E')]);
  });

  it('deadlines missed: overdue events per stage', async () => {
    const rows = rowsOf(await get('deadlines-missed'));
    expect(
      rows.map(({ scope, stage, deadlinesMissed, requests }) => ({ scope, stage, deadlinesMissed, requests })),
    ).toEqual([
      { scope: 'stage', stage: 'cted_review', deadlinesMissed: 1, requests: 1 },
      // The referral clock's miss counts under external_referral, not under the request's stage then (delivery).
      { scope: 'stage', stage: 'external_referral', deadlinesMissed: 2, requests: 2 },
      { scope: 'stage', stage: 'unodc_planning', deadlinesMissed: 1, requests: 1 },
      { scope: 'stage', stage: 'delivery', deadlinesMissed: 2, requests: 2 },
      { scope: 'total', stage: null, deadlinesMissed: 6, requests: 4 },
    ]);
    expect(rows[3].drilldown.items).toEqual([requestItem('A'), requestItem('C')]);
  });

  it('open requests by stage and region: submitted in the period and not closed', async () => {
    const rows = rowsOf(await get('open-requests'));
    expect(
      rows.map(({ scope, stage, region, requests, overdue }) => ({ scope, stage, region, requests, overdue })),
    ).toEqual([
      { scope: 'stage_region', stage: 'cted_review', region: 'Asia', requests: 1, overdue: 1 },
      { scope: 'stage', stage: 'cted_review', region: null, requests: 1, overdue: 1 },
      { scope: 'stage_region', stage: 'delivery', region: 'Americas', requests: 1, overdue: 1 },
      { scope: 'stage', stage: 'delivery', region: null, requests: 1, overdue: 1 },
      { scope: 'stage_region', stage: 'follow_up_evaluation', region: 'Africa', requests: 1, overdue: 0 },
      { scope: 'stage', stage: 'follow_up_evaluation', region: null, requests: 1, overdue: 0 },
      { scope: 'total', stage: null, region: null, requests: 3, overdue: 2 },
    ]);
    expect(rows[6].drilldown).toEqual({
      total: 3,
      truncated: false,
      items: [requestItem('A'), requestItem('C'), requestItem('D')],
    });
  });

  it('the service gives the same figures as the endpoint (one query, no HTTP)', async () => {
    const direct = await service.run('participants', Y2031);
    const viaHttp = await get('participants');
    expect(direct.rows).toEqual(viaHttp.rows);
  });

  it('a one-day period narrows the figures (deliveredOn is inclusive at both ends)', async () => {
    const rows = rowsOf(await get('states-assisted', { from: '2031-05-20', to: '2031-05-20' }));
    expect(rows.find((r) => r.scope === 'total')).toMatchObject({
      states: 3,
      activities: 1,
      stateCodes: ['KEN', 'TZA', 'UGA'],
    });
  });

  it('?format=csv returns text/csv with a header row and the drill-down', async () => {
    const res = await stack.http
      .get('/api/v1/reports/states-assisted')
      .query({ ...Y2031, format: 'csv' })
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('states-assisted_2031-01-01_2031-12-31.csv');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('scope,region,states,activities,stateCodes,drilldown_total,drilldown');
    expect(lines.slice(1)).toEqual([
      `region,Africa,6,3,DJI ETH KEN SOM TZA UGA,3,${ref('A')}/A1 ${ref('A')}/A2 ${ref('S1')}/RW`,
      `region,Americas,2,1,COL PER,1,${ref('C')}/C1`,
      `total,,8,4,COL DJI ETH KEN PER SOM TZA UGA,4,${ref('A')}/A1 ${ref('A')}/A2 ${ref('C')}/C1 ${ref('S1')}/RW`,
    ]);
  });

  it('lists the reports for CTED too, and refuses administrators and anonymous callers', async () => {
    const cted = await stack.tokenFor(ACCOUNTS.cted);
    const list = await stack.http.get('/api/v1/reports').set('Authorization', `Bearer ${cted}`).expect(200);
    expect(list.body.items.map((i: { report: string }) => i.report)).toEqual([...REPORT_NAMES]);
    await stack.http.get('/api/v1/reports/open-requests').set('Authorization', `Bearer ${cted}`).expect(200);
    const admin = await stack.tokenFor(ACCOUNTS.admin);
    for (const path of ['', '/states-assisted', '/contributions']) {
      const denied = await stack.http.get(`/api/v1/reports${path}`).set('Authorization', `Bearer ${admin}`).expect(403);
      expect(denied.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    await stack.http.get('/api/v1/reports/outcomes').expect(401);
  });

  it("gives a focal point its own State's figures only, whatever it asks for", async () => {
    const kenya = await stack.tokenFor(ACCOUNTS.kenya);
    const asKenya = async (report: string, query: Record<string, string> = Y2031, status = 200) =>
      (
        await stack.http
          .get(`/api/v1/reports/${report}`)
          .query(query)
          .set('Authorization', `Bearer ${kenya}`)
          .expect(status)
      ).body;
    // Only A is Kenya's: its two activities (A2 also served UGA and TZA, which a focal point is not shown).
    const states = await asKenya('states-assisted');
    expect(states.memberState).toBe('KEN');
    expect(
      rowsOf(states).map(({ scope, region, states: n, activities, stateCodes }) => ({
        scope,
        region,
        n,
        activities,
        stateCodes,
      })),
    ).toEqual([
      { scope: 'region', region: 'Africa', n: 1, activities: 2, stateCodes: ['KEN'] },
      { scope: 'total', region: null, n: 1, activities: 2, stateCodes: ['KEN'] },
    ]);
    expect(rowsOf(await asKenya('open-requests'))).toEqual([
      expect.objectContaining({ scope: 'stage_region', stage: 'follow_up_evaluation', region: 'Africa', requests: 1 }),
      expect.objectContaining({ scope: 'stage', stage: 'follow_up_evaluation', requests: 1 }),
      expect.objectContaining({
        scope: 'total',
        requests: 1,
        drilldown: { total: 1, truncated: false, items: [requestItem('A')] },
      }),
    ]);
    // No annex rows: they are not a State's figures.
    expect(rowsOf(await asKenya('contributions')).map((r) => r.source)).not.toContain('annex');
    const cted = await stack.tokenFor(ACCOUNTS.cted);
    for (const report of REPORT_NAMES) {
      const body = await asKenya(report);
      // Every figure is backed by Kenya's request A only ...
      const refs = new Set(rowsOf(body).flatMap((r) => r.drilldown.items.map((i) => i.reference)));
      expect({ report, refs: [...refs].filter((r) => r !== ref('A')) }).toEqual({ report, refs: [] });
      // ... the same figures CTED gets when it asks for Kenya's ...
      const forCted = await stack.http
        .get(`/api/v1/reports/${report}`)
        .query({ ...Y2031, memberState: 'KEN' })
        .set('Authorization', `Bearer ${cted}`)
        .expect(200);
      expect({ report, rows: forCted.body.rows }).toEqual({ report, rows: body.rows });
      // ... its own State named or not; another State's is not found (deny by default).
      expect((await asKenya(report, { ...Y2031, memberState: 'KEN' })).rows).toEqual(body.rows);
      const other = await asKenya(report, { ...Y2031, memberState: 'IDN' }, 404);
      expect(other.code).toBe('NOT_FOUND');
    }
    const csv = await stack.http
      .get('/api/v1/reports/states-assisted')
      .query({ ...Y2031, format: 'csv' })
      .set('Authorization', `Bearer ${kenya}`)
      .expect(200);
    expect(csv.text).not.toMatch(/UGA|TZA|ETH/);
  });

  it('refuses bad periods and formats with 400 problem+json', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ from: '2031-13-01' }, 'from'],
      [{ from: '31/12/2031' }, 'from'],
      [{ to: '2031-02-30' }, 'to'],
      [{ from: '2031-06-01', to: '2031-05-31' }, 'to'],
      [{ format: 'xlsx' }, 'format'],
      [{ since: '2031-01-01' }, 'since'],
    ];
    const catalogue = await stack.http
      .get('/api/v1/reports')
      .query({ from: '2031-01-01' })
      .set('Authorization', `Bearer ${token}`)
      .expect(400);
    expect(catalogue.body.errors).toEqual([{ field: 'from', reason: 'is not a known field' }]);
    for (const [query, field] of cases) {
      const res = await stack.http
        .get('/api/v1/reports/participants')
        .query(query)
        .set('Authorization', `Bearer ${token}`)
        .expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
