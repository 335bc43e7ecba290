import { Role } from './stage';

/**
 * What people are told. Each kind names one reason to notify; the templates (six UN languages)
 * and per-user preferences are keyed by it. Values are stored: never rename one.
 */
export enum NotificationKind {
  /** A State submitted a request: CTED must review it; the State gets its acknowledgement. */
  RequestReceived = 'request_received',
  /** CTED asked the State questions: the State must answer (mandatory). */
  InformationRequested = 'information_requested',
  /** The State answered: the stage owner resumes. */
  InformationProvided = 'information_provided',
  /** UNODC proposed a work plan: the State must agree or ask for a revision. */
  PlanProposed = 'plan_proposed',
  /** The State agreed to the plan or asked for a revision: UNODC resumes. */
  PlanResponded = 'plan_responded',
  /** UNODC approved the plan: the State and CTED must know. */
  PlanApproved = 'plan_approved',
  ActivityRescheduled = 'activity_rescheduled',
  ActivityCancelled = 'activity_cancelled',
  /** The evaluation questionnaire went out: the State must answer it (mandatory). */
  EvaluationDue = 'evaluation_due',
  /** A reminder to whoever the request waits on (stage owner or State). */
  Reminder = 'reminder',
  Overdue = 'overdue',
  /**
   * The stage owner let a deadline pass well beyond due. Goes to the stage owner role today; to
   * the owner's supervisor role once supervisors exist (the recipient spec changes, not the kind).
   */
  Escalation = 'escalation',
  RequestClosed = 'request_closed',
  /** A supervisor assigned the request to the recipient (assignment.ts routes every other kind by assignee). */
  AssignedToYou = 'assigned_to_you',
}

export const NOTIFICATION_KINDS: readonly NotificationKind[] = Object.values(NotificationKind);

/** Kinds a user cannot switch off: without them the request lapses or closes unanswered. */
export const MANDATORY_KINDS: readonly NotificationKind[] = [
  NotificationKind.InformationRequested,
  NotificationKind.EvaluationDue,
];

export type DeliveryMode = 'immediate' | 'daily_digest' | 'off';
export const DELIVERY_MODES: readonly DeliveryMode[] = ['immediate', 'daily_digest', 'off'];

/**
 * Who receives a notification. `state` reaches only the focal points of that one State; `role`
 * only staff roles (never member_state, which would reach every State). `user` is for the
 * assignee once requests are assigned.
 */
export type RecipientSpec =
  | { kind: 'state'; memberState: string }
  /** The active users of `role`; when it has none, those of `orElse` (an escalation must reach someone). */
  | { kind: 'role'; role: Role; orElse?: Role }
  | { kind: 'user'; userId: string };

export interface NotificationIntent {
  kind: NotificationKind;
  recipients: RecipientSpec[];
  /** Codes only (stage, outcome, reminder number, dates): templates render them in the recipient's language. */
  params: Record<string, string | number | boolean | null>;
}

/** The event as the mapping needs it (a DomainEvent, or a stored row). */
export interface NotifiableEvent {
  type: string;
  actor: { role: string };
  payload: Record<string, unknown>;
}

export interface NotificationContext {
  /** The State of the request; for a shared activity, each linked State gets its own call. */
  memberState: string;
  /** Which stream recorded the event: the request's own, or one of its delivery activities. */
  stream: 'request' | 'activity';
  /** The request is urgent: every notification says so (`urgent: true` in its params, a subject prefix). */
  urgent?: boolean;
}

const STAFF_ROLES: readonly string[] = [Role.CtedOfficer, Role.UnodcManager, Role.Admin];

/** The State's focal points for member_state, the role's users for a staff role. */
function ownerRecipients(owner: unknown, ctx: NotificationContext): RecipientSpec[] {
  if (owner === Role.MemberState) return [{ kind: 'state', memberState: ctx.memberState }];
  if (typeof owner === 'string' && STAFF_ROLES.includes(owner)) return [{ kind: 'role', role: owner as Role }];
  return [];
}

const code = (v: unknown): string | number | null => (typeof v === 'string' || typeof v === 'number' ? v : null);

/**
 * Pure mapping from a recorded event to the notifications it causes. Events nobody must act on
 * or know about (stage_changed, cted_informed's bookkeeping, …) map to none.
 */
export function notificationsFor(event: NotifiableEvent, ctx: NotificationContext): NotificationIntent[] {
  const intents = intentsFor(event, ctx);
  return ctx.urgent ? intents.map((i) => ({ ...i, params: { ...i.params, urgent: true } })) : intents;
}

function intentsFor(event: NotifiableEvent, ctx: NotificationContext): NotificationIntent[] {
  const state: RecipientSpec = { kind: 'state', memberState: ctx.memberState };
  const cted: RecipientSpec = { kind: 'role', role: Role.CtedOfficer };
  const unodc: RecipientSpec = { kind: 'role', role: Role.UnodcManager };
  const p = event.payload ?? {};
  const one = (kind: NotificationKind, recipients: RecipientSpec[], params: NotificationIntent['params'] = {}) =>
    recipients.length ? [{ kind, recipients, params }] : [];
  switch (event.type) {
    case 'submitted':
      return one(NotificationKind.RequestReceived, [cted, state], { origin: code(p.origin) });
    case 'request_information':
      return one(NotificationKind.InformationRequested, [state], {
        questions: Array.isArray(p.questions) ? p.questions.length : 0,
      });
    case 'provide_information':
      return one(NotificationKind.InformationProvided, [cted]);
    case 'propose_plan':
      return one(NotificationKind.PlanProposed, [state], {
        activities: Array.isArray(p.activities) ? p.activities.length : 0,
      });
    case 'accept_plan':
      return one(NotificationKind.PlanResponded, [unodc], { response: 'accepted', planVersion: code(p.planVersion) });
    case 'request_plan_revision':
      return one(NotificationKind.PlanResponded, [unodc], {
        response: 'revision_requested',
        planVersion: code(p.planVersion),
      });
    case 'approve_plan':
      return one(NotificationKind.PlanApproved, [state, cted]);
    case 'activity_rescheduled':
      return one(NotificationKind.ActivityRescheduled, [state], {
        startDate: code(p.startDate),
        endDate: code(p.endDate),
      });
    case 'activity_cancelled':
      // The request stream repeats the activity's own cancellation (signalled by the activity):
      // only a cancellation the request recorded itself, with its reason, is news there.
      if (ctx.stream === 'request' && typeof p.reason !== 'string') return [];
      return one(NotificationKind.ActivityCancelled, [state]);
    case 'evaluation_questionnaire_issued':
      return one(NotificationKind.EvaluationDue, [state]);
    case 'deadline_reminder':
      return one(NotificationKind.Reminder, ownerRecipients(p.owner, ctx), {
        stage: code(p.stage),
        reminder: code(p.reminder),
      });
    case 'state_reminder':
      return one(NotificationKind.Reminder, [state], { waitingFor: code(p.waitingFor), reminder: code(p.reminder) });
    case 'overdue':
      return one(NotificationKind.Overdue, ownerRecipients(p.owner, ctx), { stage: code(p.stage) });
    case 'escalated':
      // `escalatedTo` names the supervisor role the escalation is for (routing to it comes with the roles).
      return one(NotificationKind.Escalation, ownerRecipients(p.owner, ctx), {
        stage: code(p.stage),
        escalatedTo: code(p.escalatedTo),
      });
    // CTED's clock on an external referral: CTED records its outcome, so CTED is reminded.
    case 'referral_reminder':
      return one(NotificationKind.Reminder, ownerRecipients(p.owner, ctx), {
        stage: code(p.stage),
        referralId: code(p.referralId),
        reminder: code(p.reminder),
      });
    case 'referral_overdue':
      return one(NotificationKind.Overdue, ownerRecipients(p.owner, ctx), {
        stage: code(p.stage),
        referralId: code(p.referralId),
      });
    case 'referral_escalated':
      return one(NotificationKind.Escalation, ownerRecipients(p.owner, ctx), {
        stage: code(p.stage),
        referralId: code(p.referralId),
        escalatedTo: code(p.escalatedTo),
      });
    case 'closed':
      return one(NotificationKind.RequestClosed, [state, cted], { outcome: code(p.outcome) });
    default:
      return [];
  }
}

/** Event types recorded by the workflows besides the decisions themselves (webhook filters name them). */
export const SYSTEM_EVENT_TYPES = [
  'submitted',
  'stage_changed',
  'closed',
  'cted_informed',
  'funding_covered',
  'funding_released',
  'overdue',
  'deadline_reminder',
  'escalated',
  'referral_overdue',
  'referral_reminder',
  'referral_escalated',
  'state_reminder',
  'evaluation_questionnaire_issued',
  'information_lapsed',
  'evaluation_not_received',
  'follow_up_opened',
  'activity_scheduled',
  'activity_delivered',
  'activity_cancelled',
  'activity_rescheduled',
  'request_linked',
  'request_unlinked',
] as const;
