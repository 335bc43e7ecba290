import {
  AssignmentCommand,
  allowedAssignmentActions,
  applyAssignment,
  currentAssignee,
  routeByAssignment,
  validateAssignment,
} from './assignment';
import { allowedDecisions } from './decision-rules';
import { applyDecision } from './decisions';
import { DomainError } from './domain-error';
import { NotificationKind, notificationsFor } from './notifications';
import type { RequestState } from './request-state';
import { Role, Stage } from './stage';
import { initialState } from './submission';

const OFFICER = { userId: '11111111-1111-4111-8111-111111111111', role: Role.CtedOfficer };
const OFFICER2 = { userId: '22222222-2222-4222-8222-222222222222', role: Role.CtedOfficer };
const CTED_SUP = { userId: '33333333-3333-4333-8333-333333333333', role: Role.CtedSupervisor };
const MANAGER = { userId: '44444444-4444-4444-8444-444444444444', role: Role.UnodcManager };
const UNODC_SUP = { userId: '55555555-5555-4555-8555-555555555555', role: Role.UnodcSupervisor };
const KEN = { userId: '66666666-6666-4666-8666-666666666666', role: Role.MemberState, memberState: 'KEN' };

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

let n = 0;
const cmd = (
  action: AssignmentCommand['action'],
  actor: AssignmentCommand['actor'],
  assignee?: AssignmentCommand['assignee'],
): AssignmentCommand => ({ decisionId: `d-${++n}`, action, actor, ...(assignee ? { assignee } : {}) });

function refusal(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return undefined;
}

function referToUnodc(s: RequestState): void {
  applyDecision(
    s,
    {
      decisionId: 'refer',
      type: 'refer_needs',
      actor: OFFICER,
      payload: { referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'r' }] },
    },
    1,
  );
}

describe('assignment rules', () => {
  it('lets an officer claim a request awaiting CTED, once', () => {
    const s = fresh();
    expect(allowedAssignmentActions(s, OFFICER)).toEqual(['claim']);
    validateAssignment(s, cmd('claim', OFFICER));
    const { events } = applyAssignment(s, cmd('claim', OFFICER), 5);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'assignment_changed',
        actor: OFFICER,
        payload: {
          action: 'claim',
          body: 'cted',
          assigneeId: OFFICER.userId,
          assigneeRole: 'cted_officer',
          previousAssigneeId: null,
        },
      }),
    ]);
    expect(currentAssignee(s)).toEqual(OFFICER);
    expect(refusal(() => validateAssignment(s, cmd('claim', OFFICER2)))).toBe('ASSIGNMENT_CONFLICT');
    expect(refusal(() => validateAssignment(s, cmd('claim', OFFICER)))).toBe('ASSIGNMENT_CONFLICT');
    // The holder may give it back; another officer may not take it away.
    expect(allowedAssignmentActions(s, OFFICER)).toEqual(['unassign']);
    expect(allowedAssignmentActions(s, OFFICER2)).toEqual([]);
  });

  it('refuses a claim by the other body, a focal point or an administrator', () => {
    const s = fresh();
    expect(refusal(() => validateAssignment(s, cmd('claim', MANAGER)))).toBe('ASSIGNMENT_CONFLICT');
    expect(refusal(() => validateAssignment(s, cmd('claim', KEN)))).toBe('ROLE_NOT_ALLOWED');
    expect(refusal(() => validateAssignment(s, cmd('claim', { userId: 'a', role: Role.Admin })))).toBe(
      'ROLE_NOT_ALLOWED',
    );
    expect(allowedAssignmentActions(s, KEN)).toEqual([]);
  });

  it('lets only a supervisor assign, to a user of its own body', () => {
    const s = fresh();
    expect(refusal(() => validateAssignment(s, cmd('assign', OFFICER, OFFICER2)))).toBe('ROLE_NOT_ALLOWED');
    expect(refusal(() => validateAssignment(s, cmd('assign', CTED_SUP, MANAGER)))).toBe('INVALID_ASSIGNEE');
    expect(refusal(() => validateAssignment(s, cmd('assign', CTED_SUP, KEN)))).toBe('INVALID_ASSIGNEE');
    expect(refusal(() => validateAssignment(s, cmd('assign', UNODC_SUP, MANAGER)))).toBe('ASSIGNMENT_CONFLICT');
    expect(allowedAssignmentActions(s, CTED_SUP)).toEqual(['claim', 'assign']);
    applyAssignment(s, cmd('assign', CTED_SUP, OFFICER), 1);
    expect(refusal(() => validateAssignment(s, cmd('assign', CTED_SUP, OFFICER)))).toBe('ASSIGNMENT_CONFLICT');
    // Reassignment is a decision like the first one, naming who held it before.
    const { events } = applyAssignment(s, cmd('assign', CTED_SUP, OFFICER2), 2);
    expect(events[0].payload).toMatchObject({ assigneeId: OFFICER2.userId, previousAssigneeId: OFFICER.userId });
    expect(allowedAssignmentActions(s, CTED_SUP)).toEqual(['assign', 'unassign']);
    applyAssignment(s, cmd('unassign', CTED_SUP), 3);
    expect(currentAssignee(s)).toBeNull();
    expect(refusal(() => validateAssignment(s, cmd('unassign', CTED_SUP)))).toBe('ASSIGNMENT_CONFLICT');
  });

  it("keeps each body's assignee: passing to UNODC shows UNODC's (none yet), CTED's stays recorded", () => {
    const s = fresh();
    applyAssignment(s, cmd('claim', OFFICER), 1);
    referToUnodc(s);
    expect(s.stage).toBe(Stage.UnodcPlanning);
    expect(currentAssignee(s)).toBeNull();
    expect(s.assignees?.cted).toEqual(OFFICER);
    expect(refusal(() => validateAssignment(s, cmd('claim', OFFICER2)))).toBe('ASSIGNMENT_CONFLICT');
    applyAssignment(s, cmd('claim', MANAGER), 2);
    expect(currentAssignee(s)).toEqual(MANAGER);
  });

  it('refuses everything on a closed request', () => {
    const s = fresh();
    applyDecision(s, { decisionId: 'x', type: 'decline', actor: OFFICER, payload: { reason: 'r' } as never }, 1);
    expect(refusal(() => validateAssignment(s, cmd('claim', OFFICER)))).toBe('REQUEST_CLOSED');
    expect(allowedAssignmentActions(s, CTED_SUP)).toEqual([]);
  });

  it("lets a supervisor take every decision of its body's officers", () => {
    const s = fresh();
    expect(allowedDecisions(s, CTED_SUP)).toEqual(allowedDecisions(s, OFFICER));
    referToUnodc(s);
    expect(allowedDecisions(s, UNODC_SUP)).toEqual(allowedDecisions(s, MANAGER));
  });
});

describe('notification recipients with assignment', () => {
  const ctx = { memberState: 'KEN', stream: 'request' as const };
  const ev = (type: string, payload: Record<string, unknown> = {}) => ({ type, actor: { role: 'system' }, payload });

  it('sends what asks CTED to act to its assignee, else to the officers and their supervisors', () => {
    const event = ev('deadline_reminder', { owner: 'cted_officer', stage: 'cted_review', reminder: 1 });
    const intents = notificationsFor(event, ctx);
    expect(routeByAssignment(intents, event, {})[0].recipients).toEqual([
      { kind: 'role', role: Role.CtedOfficer },
      { kind: 'role', role: Role.CtedSupervisor },
    ]);
    expect(routeByAssignment(intents, event, { cted: OFFICER })[0].recipients).toEqual([
      { kind: 'user', userId: OFFICER.userId },
    ]);
    // UNODC's assignee does not receive CTED's work.
    expect(routeByAssignment(intents, event, { unodc: MANAGER })[0].recipients).toEqual([
      { kind: 'role', role: Role.CtedOfficer },
      { kind: 'role', role: Role.CtedSupervisor },
    ]);
  });

  it("sends an escalation to the body's supervisors and the assignee, and leaves the State's focal points as they are", () => {
    const event = ev('escalated', { owner: 'unodc_manager', stage: 'unodc_planning' });
    const [escalation] = routeByAssignment(notificationsFor(event, ctx), event, { unodc: MANAGER });
    // Supervisors, or the managers when the body has no active supervisor: an escalation reaches someone.
    expect(escalation.recipients).toEqual([
      { kind: 'role', role: Role.UnodcSupervisor, orElse: Role.UnodcManager },
      { kind: 'user', userId: MANAGER.userId },
    ]);
    const submitted = ev('submitted', { origin: 'member_state' });
    expect(routeByAssignment(notificationsFor(submitted, ctx), submitted, {})[0].recipients).toContainEqual({
      kind: 'state',
      memberState: 'KEN',
    });
  });

  it('tells the new assignee that the request was assigned to them', () => {
    const event = {
      type: 'assignment_changed',
      actor: { role: 'cted_supervisor' },
      payload: { action: 'assign', body: 'cted', assigneeId: OFFICER.userId, previousAssigneeId: null },
    };
    expect(routeByAssignment(notificationsFor(event, ctx), event, { cted: OFFICER })).toEqual([
      {
        kind: NotificationKind.AssignedToYou,
        recipients: [{ kind: 'user', userId: OFFICER.userId }],
        params: { action: 'assign', body: 'cted' },
      },
    ]);
    const unassigned = { ...event, payload: { ...event.payload, action: 'unassign', assigneeId: null } };
    expect(routeByAssignment(notificationsFor(unassigned, ctx), unassigned, {})).toEqual([]);
  });
});
