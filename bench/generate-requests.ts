/**
 * Generates N requests shaped exactly like the ones CTAP writes: every lifecycle is played through
 * the domain's own rules (initialState, applyDecision, applyTimer: the code the workflow runs), so
 * event types, payloads, read-model columns and the stored state are those of production; events
 * are hash-chained with the event store's eventHash, activity streams look like the delivery
 * workflow's; rows go in with COPY, four tables in parallel.
 *
 *   node -r ./scripts/register.js bench/generate-requests.ts --requests 100000 [--database URL] [--seed 1]
 *
 * The database is dropped and created afresh (its name must contain "bench" or "test"), migrated
 * and seeded with the reference data and development accounts.
 */
import { createHash } from 'crypto';
import { once } from 'events';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import {
  DEFAULT_DEADLINES,
  DeadlineConfig,
  Decision,
  DecisionPayloads,
  DomainError,
  DecisionType,
  DomainEvent,
  MODALITIES,
  MODALITY_CODES,
  NewRequest,
  PROFESSIONS,
  PlannedActivity,
  RequestState,
  Role,
  SYSTEM_ACTOR,
  Stage,
  THEMATIC_AREAS,
  UniversalInstrument,
  applyDecision,
  applyTimer,
  currentOwner,
  initialState,
  nextTimer,
  upcomingTimers,
  validateDecision,
} from '@app/domain';
import {
  GENESIS_HASH,
  dataSourceOptions,
  disableReadModelTriggers,
  enableReadModelTriggersAndRebuild,
  ensureDatabase,
  eventHash,
} from '@app/persistence';
import { loadDevAccounts, loadMemberStates, loadReferenceData } from '../seeds/src/seed-loaders';
import { seededRandom } from '../test/support/random';

const DAY = 86_400_000;

/** Bumped whenever the shape of the generated data changes: kept bench data sets are then regenerated. */
export const GENERATOR_VERSION = '3';

/** A size and seed always give the same data set. */
const prng = seededRandom;

/** Realistic text: the needs and titles the BRIEF and the 2009 report describe, per thematic area. */
const NEEDS: Record<string, { title: string[]; need: string[]; modalities: string[] }> = {
  ratification: {
    title: ['Ratification of the remaining universal instruments', 'Accession to the 2005 amendments'],
    need: [
      'Advice on ratifying the 2005 Nuclear Terrorism Convention and the 2010 Beijing instruments',
      'Prepare the instruments of accession to the remaining universal conventions and protocols',
      'Compile the universal instruments and their status for the parliament',
    ],
    modalities: ['remote_legal_advice', 'treaty_compilation', 'vienna_intensive_working_session'],
  },
  legislative_incorporation: {
    title: ['Incorporating the universal instruments into national law', 'Review of the anti-terrorism act'],
    need: [
      'Review draft counter-terrorism legislation against the universal instruments',
      'Draft the amendments to the penal code criminalising the offences of the conventions',
      'Legislative drafting workshop on the Prevention of Terrorism Bill',
    ],
    modalities: ['national_legislative_drafting_workshop', 'remote_legal_advice', 'vienna_intensive_working_session'],
  },
  criminal_justice_capacity: {
    title: ['Training of judges and prosecutors on terrorism cases', 'Criminal justice response to terrorism'],
    need: [
      'Train prosecutors and judges in handling terrorism cases',
      'Mock trial on a terrorism financing case for the specialised court',
      'Training of trainers at the national judicial school',
    ],
    modalities: ['national_training_workshop', 'mock_trial', 'training_of_trainers'],
  },
  international_cooperation: {
    title: ['Mutual legal assistance and extradition capacity', 'International cooperation in criminal matters'],
    need: [
      'Set up a central authority for mutual legal assistance and extradition',
      'Train central authority staff on requests for mutual legal assistance',
    ],
    modalities: ['national_training_workshop', 'judicial_platform_support', 'study_visit'],
  },
  countering_terrorist_financing: {
    title: ['Strengthening the financial intelligence unit', 'Asset freezing under resolution 1373'],
    need: [
      'Strengthen the financial intelligence unit and the regime for freezing terrorist assets',
      'Investigating and prosecuting terrorist financing',
      'Risk assessment of the non-profit sector for terrorist financing',
    ],
    modalities: ['national_training_workshop', 'regional_workshop', 'online_course'],
  },
  cbrn_terrorism: {
    title: ['Nuclear security offences', 'Chemical and biological terrorism legislation'],
    need: [
      'Criminalise offences under the amended Convention on the Physical Protection of Nuclear Material',
      'Legal framework against chemical and biological terrorism',
    ],
    modalities: ['national_legislative_drafting_workshop', 'international_workshop'],
  },
  transport_terrorism: {
    title: ['Maritime security legislation', 'Aviation security regulations'],
    need: [
      'Implement the SUA Convention and its 2005 Protocol in port security law',
      'Implement the 2010 Beijing Convention in civil aviation law',
    ],
    modalities: ['national_legislative_drafting_workshop', 'remote_legal_advice', 'subregional_workshop'],
  },
  internet_terrorist_use: {
    title: ['Countering the use of the Internet for terrorist purposes'],
    need: ['Train investigators on online evidence', 'Cooperation with service providers on electronic evidence'],
    modalities: ['national_training_workshop', 'live_expert_chat', 'online_course'],
  },
  victims_witnesses: {
    title: ['Victims of terrorism support framework'],
    need: ['Design support and protection measures for victims and witnesses'],
    modalities: ['national_training_workshop', 'international_workshop'],
  },
  human_rights_rule_of_law: {
    title: ['Human rights compliant counter-terrorism investigations'],
    need: ['Rule-of-law safeguards in terrorism investigations', 'Fair trial standards in terrorism cases'],
    modalities: ['national_training_workshop', 'regional_workshop'],
  },
  sc_committee_reporting: {
    title: ['Reporting to the Security Council committees'],
    need: [
      'Help drafting the overdue report to the 1540 Committee',
      'Reply to the CTC preliminary implementation assessment',
    ],
    modalities: ['sc_reporting_assistance', 'remote_legal_advice'],
  },
  border_management: {
    title: ['Border control and document security'],
    need: ['Train border officials on travel document fraud', 'Advance passenger information system'],
    modalities: ['national_training_workshop', 'bilateral_workshop'],
  },
  incitement_violent_extremism: {
    title: ['Preventing incitement to terrorism'],
    need: ['Implement resolution 1624 on incitement to commit terrorist acts'],
    modalities: ['national_training_workshop', 'subregional_workshop'],
  },
  national_strategies_coordination: {
    title: ['National counter-terrorism strategy', 'Inter-agency coordination mechanism'],
    need: ['Draft the national counter-terrorism strategy and action plan', 'Set up an inter-agency coordination body'],
    modalities: ['remote_legal_advice', 'national_training_workshop'],
  },
};
const PROVIDERS = ['International Monetary Fund', 'OSCE', 'Council of Europe', 'INTERPOL', 'IAEA', 'OPCW', 'ICAO'];
const PLACES = ['Vienna', 'Nairobi', 'Dakar', 'Bangkok', 'Panama City', 'Amman', 'Tashkent', 'Abuja', 'Rabat'];
const QUESTIONS = [
  'Which ministry leads the drafting of the bill?',
  'Has the State already received assistance from another provider on this?',
  'Please send the current draft of the law and the list of institutions involved.',
];

export interface GenerateOptions {
  requests: number;
  seed?: number;
  /** The "now" of the data set: lifecycles stop where they would be at this instant. */
  now?: number;
  /** Submissions are spread over this many years before now. */
  years?: number;
  log?: (line: string) => void;
}

export interface GeneratedCounts {
  requests: number;
  events: number;
  activities: number;
  ms: number;
}

interface Rows {
  requests: string[];
  submissions: string[];
  events: string[];
  activities: string[];
}

/** One CSV field: NULL unquoted-empty, everything else quoted. */
function csv(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return `"${s.replaceAll('"', '""')}"`;
}
const line = (vals: unknown[]) => vals.map(csv).join(',') + '\n';
const pgArray = (xs: string[]) => `{${xs.map((x) => `"${x}"`).join(',')}}`;

class Lifecycle {
  readonly events: DomainEvent[];
  private readonly activityStreams = new Map<string, DomainEvent[]>();
  private readonly activityViews = new Map<string, Record<string, unknown>>();
  private n = 0;
  /** Instant of the last thing that happened. */
  t: number;

  constructor(
    readonly state: RequestState,
    private readonly cfg: DeadlineConfig,
    private readonly rnd: () => number,
    private readonly now: number,
  ) {
    this.t = state.stageEnteredAt;
    this.events = [
      {
        type: 'submitted',
        actor: SYSTEM_ACTOR,
        at: new Date(this.t).toISOString(),
        payload: {
          reference: state.reference,
          memberState: state.memberState,
          origin: state.origin,
          needs: state.needs,
          consent: state.consent ?? null,
          linkedFrom: state.linkedFrom ?? null,
        },
      },
    ];
  }

  /** Lets time pass by `days` (timers fire on the way, as in the workflow); false once past now. */
  wait(days: number): boolean {
    const until = Math.min(this.t + days * DAY + Math.floor(this.rnd() * DAY), this.now);
    for (;;) {
      const timer = nextTimer(this.state, this.cfg);
      if (!timer || timer.at > until) break;
      this.events.push(...applyTimer(this.state, timer, timer.at));
    }
    this.t = until;
    return until < this.now;
  }

  decide<T extends DecisionType>(type: T, actor: Decision['actor'], payload: DecisionPayloads[T]): boolean {
    const decision: Decision = { decisionId: `${this.state.reference}:${type}:${++this.n}`, type, actor, payload };
    validateDecision(this.state, decision);
    const { events, effects } = applyDecision(this.state, decision, this.t);
    this.events.push(...events);
    for (const key of effects.startActivities) this.schedule(key);
    for (const key of effects.cancelActivities)
      this.finish(key, 'cancelled', SYSTEM_ACTOR, { reason: 'request withdrawn' });
    return true;
  }

  private schedule(key: string): void {
    const activity = this.state.plan!.activities.find((a) => a.key === key)!;
    this.activityStreams.set(key, [
      { type: 'activity_scheduled', actor: SYSTEM_ACTOR, at: new Date(this.t).toISOString(), payload: { ...activity } },
    ]);
    this.activityViews.set(key, {
      key,
      reference: this.state.reference,
      status: 'scheduled',
      startDate: activity.startDate,
      endDate: activity.endDate,
      place: activity.place,
      reschedules: 0,
    });
  }

  /** An activity ends: its own stream records it, then the request (activityFinishedSignal). */
  finish(
    key: string,
    status: 'delivered' | 'cancelled',
    actor: Decision['actor'],
    payload: Record<string, unknown>,
    decisionId?: string,
  ): void {
    const view = this.activityViews.get(key)!;
    if (view.status !== 'scheduled') return;
    view.status = status;
    const at = new Date(this.t).toISOString();
    if (status === 'delivered') view.report = payload;
    this.activityStreams.get(key)!.push({ type: `activity_${status}`, actor, at, decisionId, payload });
    const report = view.report as
      | { participantsByState?: Record<string, number>; officialsTrainedByProfession?: Record<string, number> }
      | undefined;
    const finished = {
      key,
      status,
      participantsByState: report?.participantsByState,
      officialsTrained: Object.values(report?.officialsTrainedByProfession ?? {}).reduce((a, b) => a + b, 0),
    };
    const progress = this.state.activities.find((a) => a.key === key);
    if (!progress || progress.status !== 'scheduled' || this.state.stage === Stage.Closed) return;
    Object.assign(progress, finished);
    this.events.push({
      type: `activity_${status}`,
      actor: SYSTEM_ACTOR,
      at,
      payload: JSON.parse(JSON.stringify(finished)),
    });
  }

  streams(): { key: string; events: DomainEvent[]; view: Record<string, unknown> }[] {
    return [...this.activityStreams].map(([key, events]) => ({ key, events, view: this.activityViews.get(key)! }));
  }
}

/** Plays one request as far as it gets by `now`; the path is drawn at random with realistic odds. */
function play(l: Lifecycle, rnd: () => number, ctx: Ctx): void {
  const s = l.state;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const cted = { userId: ctx.users.cted, role: Role.CtedOfficer };
  const unodc = { userId: ctx.users.unodc, role: Role.UnodcManager };
  const focal = { userId: ctx.users.focal(s.memberState), role: Role.MemberState, memberState: s.memberState };
  // One request in six moves slowly: owners miss their deadlines, reminders and overdue flags follow.
  const pace = rnd() < 1 / 6 ? 4 : 1;
  const step = (days: number) => l.wait(days * pace * (0.5 + rnd()));
  const stateActs = () => rnd() < 0.9; // otherwise the State never answers: timers lapse the request

  if (!step(12)) return;
  if (rnd() < 0.3) {
    l.decide('request_information', cted, { questions: [pick(QUESTIONS)] });
    if (!step(20)) return;
    if (!stateActs() || s.stage !== Stage.AwaitingInformation) return;
    l.decide('provide_information', focal, {
      answer: `The ${pick(['Ministry of Justice', 'Office of the Attorney-General', 'Ministry of the Interior'])} leads; the draft is attached.`,
    });
    if (!step(8)) return;
  }
  if (s.stage === Stage.Closed) return;
  const r = rnd();
  if (r < 0.05) {
    l.decide('decline', cted, { reason: 'The need is already covered by an ongoing programme.' });
    return;
  }
  const needIds = s.needs.map((n) => n.id);
  if (r < 0.2) {
    l.decide('refer_needs', cted, {
      referrals: [
        {
          needIds,
          provider: { kind: 'external', name: pick(PROVIDERS) },
          rationale: 'The provider runs a programme on this in the region.',
          assessmentRef: `CTED/PIA/${s.memberState}/${new Date(l.t).getUTCFullYear()}`,
        },
      ],
    });
    if (!step(60)) return;
    const delivered = rnd() < 0.6;
    l.decide('record_referral_outcome', cted, {
      referralId: 'ref-1',
      delivered,
      notes: delivered ? 'Delivered as planned.' : 'The provider could not deliver.',
    });
    return;
  }
  l.decide('refer_needs', cted, {
    referrals: [
      { needIds, provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads legislative and criminal justice assistance.' },
    ],
  });
  if (!step(20)) return;
  const activities: PlannedActivity[] = s.needs.map((n, i) => {
    const start = new Date(l.t + (60 + Math.floor(rnd() * 60)) * DAY);
    const end = new Date(start.getTime() + (1 + Math.floor(rnd() * 4)) * DAY);
    const modality = n.modalities[0] ?? pick(MODALITY_CODES);
    const level = MODALITIES[modality];
    const states = ['subregional', 'regional', 'international'].includes(level)
      ? [s.memberState, pick(ctx.states), pick(ctx.states)].filter((x, j, a) => a.indexOf(x) === j)
      : [s.memberState];
    return {
      key: `a${i + 1}`,
      title: `${n.description.split(' ').slice(0, 6).join(' ')} (${modality.replaceAll('_', ' ')})`,
      modality,
      thematicArea: n.thematicArea as PlannedActivity['thematicArea'],
      startDate: start.toISOString().slice(0, 10),
      endDate: end.toISOString().slice(0, 10),
      place: pick(PLACES),
      participatingStates: states,
      partners: rnd() < 0.3 ? ['OHCHR'] : [],
      budgetUsd: 10_000 + Math.floor(rnd() * 40) * 1000,
    };
  });
  l.decide('propose_plan', unodc, { activities });
  if (!step(15)) return;
  if (!stateActs()) return;
  if (rnd() < 0.2) {
    l.decide('request_plan_revision', focal, {
      planVersion: 1,
      comments: 'Please move the workshop after the parliamentary session.',
    });
    if (!step(10)) return;
    l.decide('propose_plan', unodc, { activities });
    if (!step(10)) return;
  }
  l.decide('accept_plan', focal, { planVersion: s.plan!.version });
  if (!step(5)) return;
  l.decide('record_cted_consultation', unodc, { summary: 'CTED confirmed no overlap with other providers.' });
  if (!step(5)) return;
  const budget = s.plan!.budgetUsd;
  const firstPledge = rnd() < 0.5 ? budget : Math.round(budget / 2);
  l.decide('record_funding', unodc, {
    pledgeRef: `${s.reference}-P1`,
    donor: pick(ctx.donors),
    amountUsd: firstPledge,
  });
  if (!step(5)) return;
  if (rnd() < 0.04) {
    l.decide('withdraw', focal, { reason: 'The government changed its priorities.' });
    return;
  }
  l.decide('approve_plan', unodc, {});
  if (s.stage === Stage.AwaitingFunding) {
    if (!step(30)) return;
    l.decide('record_funding', unodc, {
      pledgeRef: `${s.reference}-P2`,
      donor: pick(ctx.donors),
      amountUsd: budget - firstPledge,
    });
  }
  for (const a of s.plan!.activities) {
    if (!step(50)) return;
    if (a.key !== 'a1' && rnd() < 0.1) {
      l.finish(a.key, 'cancelled', unodc, { reason: 'The venue was not available.' }, `${s.reference}:${a.key}:cancel`);
      continue;
    }
    const participantsByState = Object.fromEntries(a.participatingStates.map((st) => [st, 5 + Math.floor(rnd() * 30)]));
    const officialsTrainedByProfession = Object.fromEntries(
      [pick(PROFESSIONS), pick(PROFESSIONS)].map((p) => [p, 2 + Math.floor(rnd() * 15)]),
    );
    l.finish(
      a.key,
      'delivered',
      unodc,
      {
        deliveredOn: new Date(l.t).toISOString().slice(0, 10),
        place: a.place,
        participantsByState,
        officialsTrainedByProfession,
        outputs: ['workshop report'],
      },
      `${s.reference}:${a.key}:delivered`,
    );
  }
  if (!step(10)) return;
  l.decide('complete_delivery', unodc, { summary: 'All planned activities took place.' });
  if (!step(40)) return;
  const instrument = pick(ctx.instruments) as UniversalInstrument;
  l.decide('record_indicators', unodc, {
    ratifications:
      rnd() < 0.5 ? [{ instrument, depositedOn: new Date(l.t - 20 * DAY).toISOString().slice(0, 10) }] : [],
    laws:
      rnd() < 0.6
        ? [
            {
              title: `Counter-Terrorism (Amendment) Act ${new Date(l.t).getUTCFullYear()}`,
              status: rnd() < 0.5 ? 'adopted' : 'drafted',
              date: new Date(l.t - 10 * DAY).toISOString().slice(0, 10),
            },
          ]
        : [],
    officialsTrained: Math.floor(rnd() * 60),
  });
  if (!step(30)) return;
  if (!stateActs()) return;
  l.decide('submit_evaluation', focal, {
    relevance: 3 + Math.floor(rnd() * 3),
    usefulness: 3 + Math.floor(rnd() * 3),
    comments: pick(['Useful and timely.', 'The workshop helped finalise the draft law.', 'More follow-up is needed.']),
  });
}

interface Ctx {
  states: string[];
  donors: string[];
  instruments: string[];
  users: { cted: string; unodc: string; focal(iso3: string): string };
}

function chain(requestId: string, stream: string, events: DomainEvent[], out: string[]): void {
  let prev = GENESIS_HASH;
  events.forEach((e, i) => {
    const row = {
      stream,
      seq: i + 1,
      type: e.type,
      actorUserId: e.actor.userId,
      actorRole: e.actor.role,
      actorMemberState: e.actor.memberState ?? null,
      decisionId: e.decisionId ?? null,
      occurredAt: e.at,
      payload: e.payload ?? {},
    };
    const hash = eventHash(prev, row);
    out.push(
      line([
        requestId,
        stream,
        row.seq,
        row.type,
        row.actorUserId,
        row.actorRole,
        row.actorMemberState,
        row.decisionId,
        row.occurredAt,
        row.payload,
        prev,
        hash,
        e.at,
      ]),
    );
    prev = hash;
  });
}

const COPY_SQL = {
  requests: `COPY assistance_requests (id, reference, member_state, region, thematic_areas, origin, title, stage, outcome, owner_role, overdue,
    next_deadline_at, next_deadline_kind, last_event_seq, submitted_by, submitted_at, linked_from, workflow_id, state, created_at, updated_at) FROM STDIN WITH (FORMAT csv)`,
  submissions: `COPY request_submissions (request_id, body, created_at) FROM STDIN WITH (FORMAT csv)`,
  events: `COPY request_events (request_id, stream, seq, type, actor_user_id, actor_role, actor_member_state, decision_id, occurred_at, payload, prev_hash, hash, recorded_at) FROM STDIN WITH (FORMAT csv)`,
  activities: `COPY delivery_activities (request_id, key, reference, activity_ref, status, start_date, end_date, place, reschedules, report, last_event_seq, updated_at) FROM STDIN WITH (FORMAT csv)`,
} as const;

/** Fills an empty, migrated and seeded database through `url`. */
export async function fillRequests(url: string, opts: GenerateOptions): Promise<GeneratedCounts> {
  const started = Date.now();
  const rnd = prng(opts.seed ?? 1);
  const now = opts.now ?? Date.parse('2026-11-01T00:00:00Z');
  const years = opts.years ?? 6;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const states: { iso3: string; region: string }[] = await admin
    .query('SELECT iso3, region FROM member_states ORDER BY iso3')
    .then((r) => r.rows);
  const donors: string[] = await admin
    .query('SELECT name FROM donors ORDER BY code')
    .then((r) => r.rows.map((x) => x.name));
  const instruments: string[] = await admin
    .query('SELECT code FROM universal_instruments ORDER BY code')
    .then((r) => r.rows.map((x) => x.code));
  const users: { id: string; role: string; member_state: string | null }[] = await admin
    .query('SELECT id, role, member_state FROM users')
    .then((r) => r.rows);
  const focal = new Map(users.filter((u) => u.member_state).map((u) => [u.member_state!.trim(), u.id]));
  const ctx: Ctx = {
    states: states.map((s) => s.iso3.trim()),
    donors: donors.length ? donors : ['Canada'],
    instruments,
    users: {
      cted: users.find((u) => u.role === Role.CtedOfficer)?.id ?? 'cted',
      unodc: users.find((u) => u.role === Role.UnodcManager)?.id ?? 'unodc',
      // States without a development account: a stable made-up user per State.
      focal: (iso3) => focal.get(iso3) ?? stableUuid(`focal-${iso3}`),
    },
  };

  // A bulk load: the reports' read models (stage stays, referrals) are derived once at the end,
  // set-based (the same rows their triggers write statement by statement), instead of by the
  // per-statement triggers (report-read-models.ts).
  await disableReadModelTriggers(admin);
  const clients = await Promise.all(
    (Object.keys(COPY_SQL) as (keyof Rows)[]).map(async (table) => {
      const c = new Client({ connectionString: url });
      await c.connect();
      const stream = c.query(copyFrom(COPY_SQL[table]));
      return { table, c, stream };
    }),
  );
  // Each table has its own connection: write to all four, then wait for those that are behind.
  const flush = async (rows: Rows) => {
    const behind = clients.filter(({ table, stream }) => rows[table].length && !stream.write(rows[table].join('')));
    await Promise.all(behind.map(({ stream }) => once(stream, 'drain')));
  };

  const cfg = DEFAULT_DEADLINES;
  const span = years * 365 * DAY;
  const counts = { requests: 0, events: 0, activities: 0 };
  let refused = 0;
  let rows: Rows = { requests: [], submissions: [], events: [], activities: [] };
  for (let i = 1; i <= opts.requests; i++) {
    // Submissions spread evenly over the years before now, in reference order.
    const submittedAt = Math.floor(now - span + (span * (i - 0.5)) / opts.requests);
    const st = states[Math.floor(rnd() * states.length)];
    const iso3 = st.iso3.trim();
    const areas = [
      ...new Set([
        THEMATIC_AREAS[Math.floor(rnd() * THEMATIC_AREAS.length)],
        ...(rnd() < 0.35 ? [THEMATIC_AREAS[Math.floor(rnd() * THEMATIC_AREAS.length)]] : []),
      ]),
    ];
    const needs = areas.map((area, k) => {
      const bank = NEEDS[area];
      return {
        id: `need-${k + 1}`,
        thematicArea: area,
        description: bank.need[Math.floor(rnd() * bank.need.length)],
        modalities: [bank.modalities[Math.floor(rnd() * bank.modalities.length)]],
      };
    });
    const bank = NEEDS[areas[0]];
    const year = new Date(submittedAt).getUTCFullYear();
    const reference = `CTAP-${year}-${String(i).padStart(6, '0')}`;
    const ctedOpened = rnd() < 0.1;
    const request: NewRequest = {
      requestId: uuidFrom(rnd),
      reference,
      title: `${bank.title[Math.floor(rnd() * bank.title.length)]} (${iso3}, ${year})`,
      memberState: iso3,
      region: st.region,
      origin: ctedOpened ? 'cted_assessment' : 'member_state',
      consent: ctedOpened
        ? {
            grantedBy: `Permanent Mission of ${iso3} to the United Nations`,
            grantedAt: new Date(submittedAt - 7 * DAY).toISOString().slice(0, 10),
            scope: 'Technical assistance identified in the CTED assessment',
          }
        : undefined,
      needs,
      submittedAt,
    };
    const l = new Lifecycle(initialState(request), cfg, rnd, now);
    try {
      play(l, rnd, ctx);
    } catch (err) {
      // A timer (a lapse) got there first: the request stays where the refusal left it.
      if (!(err instanceof DomainError)) throw err;
      refused++;
    }
    if (l.state.stage !== Stage.Closed) l.wait(10_000); // fire every timer due up to now
    const s = l.state;
    const upcoming = upcomingTimers(s, cfg);
    chain(s.requestId, s.requestId, l.events, rows.events);
    counts.events += l.events.length;
    const lastAt = l.events[l.events.length - 1].at;
    rows.requests.push(
      line([
        s.requestId,
        reference,
        iso3,
        st.region,
        pgArray(s.thematicAreas),
        s.origin,
        s.title.slice(0, 200),
        s.stage,
        s.outcome ?? null,
        currentOwner(s),
        s.clock.overdue,
        upcoming[0] ? new Date(upcoming[0].at).toISOString() : null,
        upcoming[0]?.kind ?? null,
        l.events.length,
        ctedOpened ? ctx.users.cted : ctx.users.focal(iso3),
        new Date(submittedAt).toISOString(),
        null,
        `assistance-request/${reference}`,
        s,
        new Date(submittedAt).toISOString(),
        lastAt,
      ]),
    );
    rows.submissions.push(
      line([
        s.requestId,
        {
          title: request.title,
          needs: needs.map(({ id: _id, ...n }) => n),
          urgency: rnd() < 0.2 ? 'urgent' : 'routine',
          consent: request.consent ?? null,
          assessmentRef: ctedOpened ? `CTED/PIA/${iso3}/${year}` : null,
        },
        new Date(submittedAt).toISOString(),
      ]),
    );
    for (const a of l.streams()) {
      const stream = `${s.requestId}/activity/${a.key}`;
      chain(s.requestId, stream, a.events, rows.events);
      counts.events += a.events.length;
      counts.activities++;
      const v = a.view;
      rows.activities.push(
        line([
          s.requestId,
          a.key,
          reference,
          `${reference}/${a.key}`,
          v.status,
          v.startDate,
          v.endDate,
          v.place,
          0,
          v.report ?? null,
          a.events.length,
          a.events[a.events.length - 1].at,
        ]),
      );
    }
    counts.requests++;
    if (i % 2000 === 0) {
      await flush(rows);
      rows = { requests: [], submissions: [], events: [], activities: [] };
      if (i % 20000 === 0)
        opts.log?.(`  ${i} requests, ${counts.events} events (${Math.round((Date.now() - started) / 1000)} s)`);
    }
  }
  await flush(rows);
  if (refused) opts.log?.(`  ${refused} lifecycles stopped early by a refused decision`);
  await Promise.all(
    clients.map(async ({ c, stream }) => {
      stream.end();
      await once(stream, 'finish');
      await c.end();
    }),
  );
  await enableReadModelTriggersAndRebuild(admin);
  await admin.query(`SELECT setval('request_reference_seq', $1)`, [opts.requests]);
  // What autovacuum would have done by now on a live system: statistics and visibility maps.
  await admin.query('VACUUM ANALYZE');
  await admin.end();
  return { ...counts, ms: Date.now() - started };
}

function stableUuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function uuidFrom(rnd: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 3) | 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Drops and recreates the database, migrates and seeds it, then fills it. */
export async function generateRequests(url: string, opts: GenerateOptions): Promise<GeneratedCounts> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/bench|test/i.test(name))
    throw new Error(`refusing to overwrite database "${name}": its name must contain "bench" or "test"`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(url);
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await loadMemberStates(ds);
    await loadReferenceData(ds);
    await loadDevAccounts(ds);
  } finally {
    await ds.destroy();
  }
  return fillRequests(url, opts);
}

if (require.main === module) {
  const arg = (name: string, fallback?: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const requests = Number(arg('requests', '10000'));
  const url = arg('database', process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ctap_bench')!;
  generateRequests(url, { requests, seed: Number(arg('seed', '1')), log: console.log })
    .then((c) =>
      console.log(
        `generated ${c.requests} requests, ${c.events} events, ${c.activities} activities in ${(c.ms / 1000).toFixed(1)} s`,
      ),
    )
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
