import { ApiProperty } from '@nestjs/swagger';
import {
  ASSIGNMENT_ACTIONS,
  AssignmentAction,
  DECISION_TYPES,
  DecisionType,
  RequestState,
  STAGE_OWNER,
  Role,
  ScheduledTimer,
  Stage,
} from '@app/domain';
import { AssigneeDto } from './assignment.mapper';
import { AssistanceRequestEntity, RequestHistoryRow } from '@app/persistence';

export class RequestSummaryDto {
  @ApiProperty({ example: '3f6c1b0e-7d2a-4e59-9c1f-5a8b2d4e6f70' }) id: string;
  @ApiProperty({ example: 'CTAP-2026-000001' }) reference: string;
  @ApiProperty({ example: 'Incorporate the universal instruments into national law' }) title: string;
  @ApiProperty({ example: 'KEN' }) memberState: string;
  @ApiProperty({ example: 'Africa' }) region: string;
  @ApiProperty({ type: [String], example: ['countering_terrorist_financing', 'legislative_incorporation'] })
  thematicAreas: string[];
  @ApiProperty({ enum: ['member_state', 'cted_assessment'], example: 'member_state' }) origin: string;
  @ApiProperty({ enum: Stage, example: 'cted_review' }) stage: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Set once closed: completed, declined, withdrawn, lapsed, ...',
  })
  outcome: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'cted_officer', description: 'Role expected to act next' })
  owner: string | null;
  @ApiProperty({ example: false }) overdue: boolean;
  @ApiProperty({
    example: false,
    description: 'Submitted as urgent: shorter deadlines (its own deadline row) and first in work queues',
  })
  urgent: boolean;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-01T09:15:00.000Z' }) nextDeadlineAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'owner_reminder' }) nextDeadlineKind: string | null;
  @ApiProperty({ example: '2026-10-02T09:15:00.000Z' }) submittedAt: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'The request whose evaluation opened this one',
  })
  linkedFrom: string | null;
  @ApiProperty({
    type: AssigneeDto,
    nullable: true,
    description:
      'Who of the body working on the request now (CTED or UNODC) holds it; null when nobody does, once closed, and always for focal points',
  })
  assignee: AssigneeDto | null;
}

export class StageCountDto {
  @ApiProperty({ example: 'cted_review' }) stage: string;
  @ApiProperty({ example: 12, description: 'Requests of the queue in this stage' }) count: number;
  @ApiProperty({ example: 3, description: 'Of which overdue' }) overdue: number;
}

export class WorkQueueCountsDto {
  @ApiProperty({ example: 15, description: 'Requests in the whole queue (every page)' }) total: number;
  @ApiProperty({ example: 4 }) overdue: number;
  @ApiProperty({ type: [StageCountDto], description: 'Per stage, in lifecycle order; stages with none left out' })
  byStage: StageCountDto[];
}

export class RequestPageDto {
  @ApiProperty({ type: [RequestSummaryDto] }) items: RequestSummaryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
    example: 'WyIyMDI2LTEwLTAyVDA5OjE1OjAwLjEyMzQ1NloiLCIuLi4iXQ',
  })
  nextCursor: string | null;
}

export class TimelineEntryDto {
  @ApiProperty({ example: 2 }) seq: number;
  @ApiProperty({ description: 'request, or activity/<key>', example: 'request' }) stream: string;
  @ApiProperty({ example: 'request_information' }) type: string;
  @ApiProperty({ example: '2026-10-03T10:00:00.000Z' }) at: string;
  @ApiProperty({ example: 'cted_officer' }) actorRole: string;
  @ApiProperty({ type: String, nullable: true, example: null }) actorMemberState: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'CTED officer',
    description: 'Display name of the user who acted (null for the workflow itself)',
  })
  actorName: string | null;
  @ApiProperty({ type: Object, example: { questions: ['Which ministry leads the drafting?'] } }) payload: Record<
    string,
    unknown
  >;
}

export class UpcomingDeadlineDto {
  @ApiProperty({
    enum: [
      'owner_reminder',
      'owner_escalation',
      'referral_reminder',
      'referral_escalation',
      'state_reminder',
      'information_lapsed',
      'evaluation_issued',
      'evaluation_not_received',
    ],
  })
  kind: string;
  @ApiProperty({ example: '2026-11-01T09:15:00.000Z' }) at: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Referral clocks only: the external referral (ref-1, ...) whose outcome CTED has yet to record',
  })
  referralId: string | null;
  @ApiProperty({
    description: 'What will happen, in plain words',
    example: 'reminder to the owner of stage cted_review; the stage is overdue from the first one',
  })
  description: string;
}

export class RequestNeedDto {
  @ApiProperty({ example: 'need-1' }) id: string;
  @ApiProperty({ example: 'legislative_incorporation' }) thematicArea: string;
  @ApiProperty({ example: 'Review the draft Prevention of Terrorism Bill' }) description: string;
  @ApiProperty({ type: [String], example: ['national_legislative_drafting_workshop'] }) modalities: string[];
}

export class SubmitterDto {
  @ApiProperty({ example: 'Amina Odhiambo' }) displayName: string;
  @ApiProperty({ enum: Role, example: 'member_state' }) role: string;
}

export class RequestDetailDto extends RequestSummaryDto {
  @ApiProperty({
    type: SubmitterDto,
    nullable: true,
    description:
      "Who submitted the request: the State's focal point, or the CTED officer who filed it on the State's behalf (null if that account is gone)",
  })
  submittedBy: SubmitterDto | null;
  @ApiProperty({ type: [RequestNeedDto], description: 'The needs as submitted, numbered need-1, need-2, ...' })
  needs: RequestNeedDto[];
  @ApiProperty({
    type: Object,
    nullable: true,
    description: 'The workflow state as of the last recorded event (null for a moment after submission)',
  })
  state: RequestState | null;
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [UpcomingDeadlineDto] }) upcoming: UpcomingDeadlineDto[];
  @ApiProperty({
    type: [String],
    enum: [...DECISION_TYPES, ...ASSIGNMENT_ACTIONS],
    example: ['request_information', 'refer_needs', 'decline', 'claim'],
    description:
      'The decisions the caller may take now (role, State and stage, from the same rule table the workflow enforces), ' +
      'and the assignment actions (claim, assign, unassign) by the assignment rules; ' +
      'route names use hyphens: refer_needs -> actions/refer-needs',
  })
  allowedActions: string[];
  @ApiProperty({
    description: 'True while the owner clock is stopped because the request waits on the Member State',
    example: false,
  })
  clockStopped: boolean;
}

const DESCRIBE: Record<ScheduledTimer['kind'], (stage: string) => string> = {
  owner_reminder: (s) => `reminder to the owner of stage ${s}; the stage is overdue from the first one`,
  owner_escalation: (s) => `escalation: stage ${s} has run past its escalation deadline`,
  referral_reminder: () => 'reminder to CTED to record the outcome of an external referral; overdue from the first one',
  referral_escalation: () => "escalation to CTED's supervisor: the external referral's outcome is long overdue",
  state_reminder: () => 'reminder to the Member State',
  information_lapsed: () => 'the information request lapses and the request closes as lapsed',
  evaluation_issued: () => 'the follow-up evaluation questionnaire is sent to the Member State',
  evaluation_not_received: () => 'the request closes as "evaluation not received"',
};

export function toSummary(r: AssistanceRequestEntity, assignee: AssigneeDto | null = null): RequestSummaryDto {
  return {
    id: r.id,
    reference: r.reference,
    title: r.title,
    memberState: r.memberState.trim(),
    region: r.region,
    thematicAreas: r.thematicAreas,
    origin: r.origin,
    stage: r.stage,
    outcome: r.outcome,
    owner: r.ownerRole,
    overdue: r.overdue,
    urgent: r.urgent ?? false,
    nextDeadlineAt: r.nextDeadlineAt ? new Date(r.nextDeadlineAt).toISOString() : null,
    nextDeadlineKind: r.nextDeadlineKind,
    submittedAt: new Date(r.submittedAt).toISOString(),
    linkedFrom: r.linkedFrom,
    assignee,
  };
}

/** An event of the request's history (RequestRepository.history). */
export type EventRow = RequestHistoryRow;

export function toDetail(
  r: AssistanceRequestEntity,
  events: EventRow[],
  upcoming: ScheduledTimer[],
  allowedActions: (DecisionType | AssignmentAction)[],
  assignee: AssigneeDto | null = null,
  submittedBy: SubmitterDto | null = null,
): RequestDetailDto {
  return {
    ...toSummary(r, assignee),
    submittedBy,
    needs: (r.state?.needs ?? []).map((n) => ({
      id: n.id,
      thematicArea: n.thematicArea,
      description: n.description,
      modalities: n.modalities,
    })),
    state: r.state,
    timeline: events.map((e) => ({
      seq: e.seq,
      stream: e.stream === r.id ? 'request' : e.stream.slice(r.id.length + 1),
      type: e.type,
      at: new Date(e.occurred_at).toISOString(),
      actorRole: e.actor_role,
      actorMemberState: e.actor_member_state?.trim() ?? null,
      actorName: e.actor_name,
      payload: e.payload,
    })),
    upcoming: upcoming.map((t) => ({
      kind: t.kind,
      at: new Date(t.at).toISOString(),
      referralId: t.referralId ?? null,
      description: DESCRIBE[t.kind](r.stage),
    })),
    allowedActions,
    clockStopped: r.stage !== Stage.Closed && STAGE_OWNER[r.stage as Stage] === Role.MemberState,
  };
}
