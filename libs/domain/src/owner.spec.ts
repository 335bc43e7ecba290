import { applyDecision } from './decisions';
import { PlannedActivity, RequestState, currentOwner } from './request-state';
import { Role } from './stage';
import { initialState } from './submission';

const CTED = { userId: 'c', role: Role.CtedOfficer };
const UNODC = { userId: 'u', role: Role.UnodcManager };
const KEN = { userId: 'k', role: Role.MemberState, memberState: 'KEN' };

function fresh(): RequestState {
  return initialState({
    requestId: 'r',
    reference: 'R-1',
    title: 't',
    memberState: 'KEN',
    region: 'Africa',
    origin: 'member_state',
    needs: [{ id: 'need-1', thematicArea: 'ratification', description: 'd', modalities: [] }],
    submittedAt: 0,
  });
}

describe('who acts next', () => {
  it('follows the stage owner, and hands the turn to the State while a plan awaits its agreement', () => {
    const s = fresh();
    expect(currentOwner(s)).toBe(Role.CtedOfficer);
    applyDecision(
      s,
      {
        decisionId: '1',
        type: 'refer_needs',
        actor: CTED,
        payload: { referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'r' }] },
      },
      1,
    );
    expect(currentOwner(s)).toBe(Role.UnodcManager);
    const activity: PlannedActivity = {
      key: 'a',
      title: 't',
      modality: 'remote_legal_advice',
      thematicArea: 'ratification',
      startDate: '2027-01-01',
      endDate: '2027-01-02',
      place: 'p',
      participatingStates: ['KEN'],
      partners: [],
      budgetUsd: 1,
    };
    applyDecision(s, { decisionId: '2', type: 'propose_plan', actor: UNODC, payload: { activities: [activity] } }, 2);
    expect(currentOwner(s)).toBe(Role.MemberState);
    applyDecision(s, { decisionId: '3', type: 'accept_plan', actor: KEN, payload: { planVersion: 1 } }, 3);
    expect(currentOwner(s)).toBe(Role.UnodcManager);
    applyDecision(s, { decisionId: '4', type: 'withdraw', actor: KEN, payload: { reason: 'r' } }, 4);
    expect(currentOwner(s)).toBeNull();
  });
});
