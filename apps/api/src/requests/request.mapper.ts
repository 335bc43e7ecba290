import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RequestState, ScheduledTimer, Stage } from '@app/domain';
import { AssistanceRequestEntity } from '@app/persistence';

export class RequestSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'CTAP-2026-000001' }) reference: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'KEN' }) memberState: string;
  @ApiProperty({ example: 'Africa' }) region: string;
  @ApiProperty({ type: [String] }) thematicAreas: string[];
  @ApiProperty({ enum: ['member_state', 'cted_assessment'] }) origin: string;
  @ApiProperty({ enum: Stage }) stage: string;
  @ApiPropertyOptional({ nullable: true }) outcome: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Role expected to act next' }) owner: string | null;
  @ApiProperty() overdue: boolean;
  @ApiPropertyOptional({ nullable: true }) nextDeadlineAt: string | null;
  @ApiPropertyOptional({ nullable: true }) nextDeadlineKind: string | null;
  @ApiProperty() submittedAt: string;
  @ApiPropertyOptional({ nullable: true }) linkedFrom: string | null;
}

export class TimelineEntryDto {
  @ApiProperty() seq: number;
  @ApiProperty({ description: 'request, or activity/<key>' }) stream: string;
  @ApiProperty() type: string;
  @ApiProperty() at: string;
  @ApiProperty() actorRole: string;
  @ApiPropertyOptional({ nullable: true }) actorMemberState: string | null;
  @ApiProperty({ type: Object }) payload: Record<string, unknown>;
}

export class UpcomingDeadlineDto {
  @ApiProperty({ enum: ['owner_reminder', 'owner_escalation', 'state_reminder', 'information_lapsed', 'evaluation_issued', 'evaluation_not_received'] })
  kind: string;
  @ApiProperty() at: string;
  @ApiProperty({ description: 'What will happen, in plain words' }) description: string;
}

export class RequestDetailDto extends RequestSummaryDto {
  @ApiProperty({ type: Object, description: 'The workflow state as of the last recorded event' }) state: RequestState | null;
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [UpcomingDeadlineDto] }) upcoming: UpcomingDeadlineDto[];
}

const DESCRIBE: Record<ScheduledTimer['kind'], (stage: string) => string> = {
  owner_reminder: (s) => `reminder to the owner of stage ${s}; the stage is overdue from the first one`,
  owner_escalation: (s) => `escalation: stage ${s} has run past its escalation deadline`,
  state_reminder: () => 'reminder to the Member State',
  information_lapsed: () => 'the information request lapses and the request closes as lapsed',
  evaluation_issued: () => 'the follow-up evaluation questionnaire is sent to the Member State',
  evaluation_not_received: () => 'the request closes as "evaluation not received"',
};

export function toSummary(r: AssistanceRequestEntity): RequestSummaryDto {
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
    nextDeadlineAt: r.nextDeadlineAt ? new Date(r.nextDeadlineAt).toISOString() : null,
    nextDeadlineKind: r.nextDeadlineKind,
    submittedAt: new Date(r.submittedAt).toISOString(),
    linkedFrom: r.linkedFrom,
  };
}

export interface EventRow {
  seq: number;
  stream: string;
  type: string;
  occurred_at: Date;
  actor_role: string;
  actor_member_state: string | null;
  payload: Record<string, unknown>;
}

export function toDetail(r: AssistanceRequestEntity, events: EventRow[], upcoming: ScheduledTimer[]): RequestDetailDto {
  return {
    ...toSummary(r),
    state: r.state,
    timeline: events.map((e) => ({
      seq: e.seq,
      stream: e.stream === r.id ? 'request' : e.stream.slice(r.id.length + 1),
      type: e.type,
      at: new Date(e.occurred_at).toISOString(),
      actorRole: e.actor_role,
      actorMemberState: e.actor_member_state?.trim() ?? null,
      payload: e.payload,
    })),
    upcoming: upcoming.map((t) => ({ kind: t.kind, at: new Date(t.at).toISOString(), description: DESCRIBE[t.kind](r.stage) })),
  };
}
