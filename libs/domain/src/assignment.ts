import { DomainError, DomainErrorCode } from './domain-error';
import type { DomainEvent, Effects } from './decisions';
import { noEffects } from './decisions';
import { NotificationKind } from './notifications';
import type { NotifiableEvent, NotificationIntent, RecipientSpec } from './notifications';
import type { Actor, Assignee, AssignmentBody, RequestState } from './request-state';
import { Role, Stage } from './stage';

// Assignment (issue 12, item 1): who of CTED or UNODC works on a request. Each body keeps its
// own assignee in the workflow state (`state.assignees`), so a request that passes from CTED to
// UNODC keeps its CTED officer for what CTED still does on it (referral outcomes, consultation)
// while UNODC starts unassigned; the assignee shown is the one of the body working on it now.

export type AssignmentAction = 'claim' | 'assign' | 'unassign';
export const ASSIGNMENT_ACTIONS: readonly AssignmentAction[] = ['claim', 'assign', 'unassign'];

/** The one event type an assignment decision records (action, body, new and previous assignee). */
export const ASSIGNMENT_EVENT = 'assignment_changed';

/** A claim, an assignment or an unassignment: a decision like the others, with its own id. */
export interface AssignmentCommand {
  decisionId: string;
  action: AssignmentAction;
  actor: Actor;
  /** `assign` only: checked by the API to be an active user of the right role before it is sent. */
  assignee?: Assignee;
}

export const BODY_ROLES: Record<AssignmentBody, { staff: Role; supervisor: Role }> = {
  cted: { staff: Role.CtedOfficer, supervisor: Role.CtedSupervisor },
  unodc: { staff: Role.UnodcManager, supervisor: Role.UnodcSupervisor },
};

/** The body a staff or supervisor role belongs to; null for focal points, administrators, the system. */
export function bodyOfRole(role: string): AssignmentBody | null {
  if (role === Role.CtedOfficer || role === Role.CtedSupervisor) return 'cted';
  if (role === Role.UnodcManager || role === Role.UnodcSupervisor) return 'unodc';
  return null;
}

export function isSupervisor(role: string): boolean {
  return role === Role.CtedSupervisor || role === Role.UnodcSupervisor;
}

/** The role whose work a role does: a supervisor works as its body's officer or manager. */
export function workingRole(role: Role): Role {
  const body = bodyOfRole(role);
  return body ? BODY_ROLES[body].staff : role;
}

/** The roles that may hold a body's requests: its officers (or managers) and its supervisors. */
export function assignableRoles(body: AssignmentBody): Role[] {
  return [BODY_ROLES[body].staff, BODY_ROLES[body].supervisor];
}

/**
 * The body working on the request in a stage: CTED while it reviews (and while its questions wait
 * on the State) and follows external referrals, UNODC from planning to the evaluation.
 */
export function responsibleBody(state: { stage: Stage | string }): AssignmentBody | null {
  switch (state.stage as Stage) {
    case Stage.CtedReview:
    case Stage.AwaitingInformation:
    case Stage.ExternalReferral:
      return 'cted';
    case Stage.UnodcPlanning:
    case Stage.AwaitingFunding:
    case Stage.Delivery:
    case Stage.FollowUpEvaluation:
      return 'unodc';
    case Stage.Closed:
      return null;
  }
  return null;
}

/** The assignee of the body working on the request now (null when nobody holds it, or it is closed). */
export function currentAssignee(state: Pick<RequestState, 'stage' | 'assignees'>): Assignee | null {
  const body = responsibleBody(state);
  return (body && state.assignees?.[body]) || null;
}

function refuse(code: DomainErrorCode, message: string, field?: string): never {
  throw new DomainError(code, message, field);
}

/**
 * Throws a DomainError if the assignment decision may not be applied now. Pure: the workflow runs
 * it as the Update validator, so a refused one never enters history.
 */
export function validateAssignment(state: RequestState, cmd: AssignmentCommand): void {
  if (!ASSIGNMENT_ACTIONS.includes(cmd?.action))
    refuse('INVALID_PAYLOAD', `unknown assignment action ${String(cmd?.action)}`, 'action');
  if (typeof cmd.decisionId !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(cmd.decisionId))
    refuse('INVALID_PAYLOAD', 'decisionId must be 1 to 200 printable ASCII characters', 'decisionId');
  if (state.stage === Stage.Closed) refuse('REQUEST_CLOSED', `request ${state.reference} is closed`);
  const actorBody = bodyOfRole(cmd.actor?.role);
  if (!actorBody) refuse('ROLE_NOT_ALLOWED', `${String(cmd.actor?.role)} may not ${cmd.action}`);
  if (cmd.action === 'assign' && !isSupervisor(cmd.actor.role))
    refuse('ROLE_NOT_ALLOWED', `only a supervisor may assign a request to someone`);
  const body = responsibleBody(state);
  if (body !== actorBody)
    refuse('ASSIGNMENT_CONFLICT', `request ${state.reference} is not being worked on by ${actorBody.toUpperCase()}`);
  const holder = state.assignees?.[body] ?? null;
  switch (cmd.action) {
    case 'claim':
      if (holder)
        refuse(
          'ASSIGNMENT_CONFLICT',
          holder.userId === cmd.actor.userId ? 'you already hold this request' : 'someone already holds this request',
        );
      return;
    case 'assign': {
      const a = cmd.assignee;
      // The API checked the user in Postgres; here only its shape (it is stored in the event).
      if (!a || typeof a.userId !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(a.userId))
        refuse('INVALID_ASSIGNEE', 'assigneeId must be a user id', 'assigneeId');
      if (!assignableRoles(body).includes(a.role))
        refuse(
          'INVALID_ASSIGNEE',
          `a ${String(a.role)} cannot hold a request ${body.toUpperCase()} works on`,
          'assigneeId',
        );
      if (holder?.userId === a.userId) refuse('ASSIGNMENT_CONFLICT', 'the request is already assigned to this user');
      return;
    }
    case 'unassign':
      if (!holder) refuse('ASSIGNMENT_CONFLICT', 'nobody holds this request');
      // The holder may give a request back; anyone else's must be taken by a supervisor.
      if (!isSupervisor(cmd.actor.role) && holder.userId !== cmd.actor.userId)
        refuse('ASSIGNMENT_CONFLICT', 'someone else holds this request: only a supervisor may unassign it');
      return;
  }
}

/** The assignment actions this actor may take now, by the same checks (an `assign` still needs a user). */
export function allowedAssignmentActions(
  state: RequestState | null,
  actor: { userId: string; role: Role },
): AssignmentAction[] {
  if (!state) return [];
  return ASSIGNMENT_ACTIONS.filter((action) => {
    try {
      validateAssignment(state, {
        decisionId: 'allowed-actions',
        action,
        actor,
        // Anyone of the body other than the holder: `assign` is offered when some assignment is possible.
        ...(action === 'assign'
          ? { assignee: { userId: '00000000-0000-4000-8000-000000000000', role: workingRole(actor.role) } }
          : {}),
      });
      return true;
    } catch (err) {
      if (err instanceof DomainError) return false;
      throw err;
    }
  });
}

/** Applies a validated assignment decision to `state` and returns its one event. */
export function applyAssignment(
  state: RequestState,
  cmd: AssignmentCommand,
  now: number,
): { events: DomainEvent[]; effects: Effects } {
  const body = responsibleBody(state)!;
  const previous = state.assignees?.[body] ?? null;
  const next: Assignee | null =
    cmd.action === 'claim'
      ? { userId: cmd.actor.userId, role: cmd.actor.role }
      : cmd.action === 'assign'
        ? { userId: cmd.assignee!.userId, role: cmd.assignee!.role }
        : null;
  const assignees = { ...(state.assignees ?? {}) };
  if (next) assignees[body] = next;
  else delete assignees[body];
  state.assignees = assignees;
  const event: DomainEvent = {
    type: ASSIGNMENT_EVENT,
    actor: cmd.actor,
    at: new Date(now).toISOString(),
    decisionId: cmd.decisionId,
    payload: {
      action: cmd.action,
      body,
      assigneeId: next?.userId ?? null,
      assigneeRole: next?.role ?? null,
      previousAssigneeId: previous?.userId ?? null,
    },
  };
  return { events: [event], effects: noEffects() };
}

/** Kinds that tell someone to escalate a request: they go to the body's supervisors. */
const ESCALATION_KINDS: readonly NotificationKind[] = [NotificationKind.Escalation];

/**
 * Routes the notifications of an event by assignment (issue 12, item 2):
 * - a notification for a body's staff role goes to that body's assignee when there is one, else to
 *   the role's users and the body's supervisors (who assign unheld work);
 * - an escalation goes to the body's supervisors (and the assignee, whose request it is);
 * - an `assignment_changed` event tells the new assignee ("assigned to you"; the outbox never
 *   notifies the actor, so a claim tells nobody).
 * Focal-point recipients are left as they are: they are always the request's own State.
 */
export function routeByAssignment(
  intents: NotificationIntent[],
  event: NotifiableEvent,
  assignees: RequestState['assignees'] | null | undefined,
): NotificationIntent[] {
  const routed = intents.map((intent) => {
    const escalation = ESCALATION_KINDS.includes(intent.kind);
    const recipients: RecipientSpec[] = [];
    const add = (r: RecipientSpec) => {
      if (!recipients.some((x) => JSON.stringify(x) === JSON.stringify(r))) recipients.push(r);
    };
    for (const r of intent.recipients) {
      const body = r.kind === 'role' ? bodyOfRole(r.role) : null;
      if (!body) {
        add(r);
        continue;
      }
      const holder = assignees?.[body];
      const supervisors: RecipientSpec = { kind: 'role', role: BODY_ROLES[body].supervisor };
      if (escalation) {
        // A body without an active supervisor still hears of its escalations: its officers (managers).
        add({ ...supervisors, orElse: BODY_ROLES[body].staff });
        if (holder) add({ kind: 'user', userId: holder.userId });
      } else if (holder) add({ kind: 'user', userId: holder.userId });
      else {
        add({ kind: 'role', role: BODY_ROLES[body].staff });
        add(supervisors);
      }
    }
    return { ...intent, recipients };
  });
  if (event.type === ASSIGNMENT_EVENT) {
    const p = event.payload ?? {};
    if (typeof p.assigneeId === 'string')
      routed.push({
        kind: NotificationKind.AssignedToYou,
        recipients: [{ kind: 'user', userId: p.assigneeId }],
        params: {
          action: typeof p.action === 'string' ? p.action : null,
          body: typeof p.body === 'string' ? p.body : null,
        },
      });
  }
  return routed;
}
