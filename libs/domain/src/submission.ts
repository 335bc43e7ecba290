import { Consent, Need, RequestState } from './request-state';
import { Stage } from './stage';

export interface NewRequest {
  requestId: string;
  reference: string;
  title: string;
  memberState: string;
  region: string;
  origin: 'member_state' | 'cted_assessment';
  consent?: Consent;
  linkedFrom?: string;
  needs: Need[];
  submittedAt: number;
}

export function initialState(r: NewRequest): RequestState {
  return {
    requestId: r.requestId,
    reference: r.reference,
    title: r.title,
    memberState: r.memberState,
    region: r.region,
    thematicAreas: [...new Set(r.needs.map((n) => n.thematicArea))].sort(),
    origin: r.origin,
    consent: r.consent,
    linkedFrom: r.linkedFrom,
    needs: r.needs,
    stage: Stage.CtedReview,
    stageEnteredAt: r.submittedAt,
    clock: { elapsedMs: 0, runningSince: r.submittedAt, remindersSent: 0, overdue: false, escalated: false },
    stateWait: null,
    informationRequests: [],
    referrals: [],
    plan: null,
    funding: [],
    activities: [],
    indicators: { ratifications: [], laws: [], officialsTrained: 0 },
    evaluation: null,
    followUpRequestIds: [],
  };
}
