import type { PlannedActivity, Provider } from './schemas/payloads';
import { Outcome, Role, STAGE_OWNER, Stage } from './stage';
import type { ReferralClock } from './deadlines';

export interface Actor {
  userId: string;
  role: Role;
  /** ISO 3166 alpha-3 of the State a focal point speaks for. */
  memberState?: string;
}

export interface Need {
  id: string;
  thematicArea: string;
  description: string;
  modalities: string[];
}

export interface Referral {
  id: string;
  needIds: string[];
  provider: Provider;
  rationale: string;
  assessmentRef?: string;
  referredAt: string;
  outcome?: { delivered: boolean; notes: string; recordedAt: string };
  /** External referrals only, timer rules 2: CTED's clock until the outcome is recorded (absent until it first fires). */
  clock?: ReferralClock;
}

/** A planned activity: its one definition is the schema (schemas/payloads.ts). */
export type { PlannedActivity };

export type PlanStatus = 'proposed' | 'revision_requested' | 'agreed' | 'approved';

export interface WorkPlan {
  version: number;
  status: PlanStatus;
  activities: PlannedActivity[];
  budgetUsd: number;
  ctedConsulted: boolean;
  revisionComments?: string;
}

export interface FundingRecord {
  pledgeRef: string;
  donor: string;
  amountUsd: number;
  recordedAt: string;
  released: boolean;
}

export type ActivityStatus = 'scheduled' | 'delivered' | 'cancelled';

export interface ActivityProgress {
  key: string;
  status: ActivityStatus;
  participantsByState?: Record<string, number>;
  officialsTrained?: number;
}

export interface OutcomeIndicators {
  ratifications: { instrument: string; depositedOn: string }[];
  laws: { title: string; status: 'drafted' | 'adopted'; date: string }[];
  officialsTrained: number;
}

export interface Evaluation {
  relevance: number;
  usefulness: number;
  comments: string;
  furtherNeeds: Need[];
  submittedAt: string;
}

export interface Consent {
  grantedBy: string;
  grantedAt: string;
  scope: string;
}

/**
 * The owner's clock of the current stage. It only runs while the stage owner is expected to
 * act, so time spent waiting on the State never counts against CTED or UNODC.
 */
export interface StageClock {
  elapsedMs: number;
  runningSince: number | null;
  remindersSent: number;
  overdue: boolean;
  escalated: boolean;
}

/** Reminders to the State while the request waits on it (information, plan agreement, evaluation). */
export interface StateWait {
  kind: 'information' | 'plan_agreement' | 'evaluation';
  since: number;
  remindersSent: number;
  /** Evaluation only: when the questionnaire went out (null until then). */
  issuedAt: number | null;
}

/** The two bodies that work on requests; each keeps its own assignee (assignment.ts). */
export type AssignmentBody = 'cted' | 'unodc';

/** Who works on the request for one body: a user id and role (names are read from Postgres). */
export interface Assignee {
  userId: string;
  role: Role;
}

export interface RequestState {
  requestId: string;
  reference: string;
  title: string;
  memberState: string;
  region: string;
  thematicAreas: string[];
  origin: 'member_state' | 'cted_assessment';
  consent?: Consent;
  linkedFrom?: string;
  needs: Need[];
  stage: Stage;
  /** Stage to return to once the State has answered an information request. */
  resumeStage?: Stage;
  outcome?: Outcome;
  stageEnteredAt: number;
  clock: StageClock;
  stateWait: StateWait | null;
  informationRequests: { id: string; questions: string[]; askedAt: string; answer?: string; answeredAt?: string }[];
  referrals: Referral[];
  plan: WorkPlan | null;
  funding: FundingRecord[];
  activities: ActivityProgress[];
  indicators: OutcomeIndicators;
  evaluation: Evaluation | null;
  followUpRequestIds: string[];
  /** Absent in states recorded before assignment existed: read it as "nobody assigned". */
  assignees?: Partial<Record<AssignmentBody, Assignee>>;
}

export function fundedUsd(state: RequestState): number {
  return state.funding.filter((f) => !f.released).reduce((sum, f) => sum + f.amountUsd, 0);
}

/**
 * Who must act next: the stage's owner, except while the request waits on the State (a proposed
 * plan awaiting its agreement, an evaluation questionnaire), when it is the State.
 */
export function currentOwner(state: RequestState): Role | null {
  if (state.stage === Stage.Closed) return null;
  return state.stateWait ? Role.MemberState : STAGE_OWNER[state.stage];
}
