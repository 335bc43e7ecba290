import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { type PlannedActivity, type RequestState, Role, allowedActivityActions } from '@app/domain';
import type { DeliveryActivityRow } from '@app/persistence';

// Read-only views of parts of a request, built by whitelisting mappers from the stored state.

export class ReferralNeedDto {
  @ApiProperty({ example: 'need-2' }) id: string;
  @ApiProperty({ example: 'countering_terrorist_financing' }) thematicArea: string;
  @ApiProperty({ example: 'Train the financial intelligence unit' }) description: string;
}

/** A further need as the State gave it in its evaluation, modalities included. */
export class FurtherNeedDto extends ReferralNeedDto {
  @ApiProperty({ type: [String], example: ['mock_trial'] }) modalities: string[];
}

export class ProviderViewDto {
  @ApiProperty({ enum: ['unodc_tpb', 'external'] }) kind: string;
  @ApiPropertyOptional({ example: 'International Monetary Fund' }) name?: string;
}

export class ReferralOutcomeDto {
  @ApiProperty() delivered: boolean;
  @ApiProperty() notes: string;
  @ApiProperty() recordedAt: string;
}

export class ReferralViewDto {
  @ApiProperty({ example: 'ref-2' }) id: string;
  @ApiProperty({ type: [ReferralNeedDto] }) needs: ReferralNeedDto[];
  @ApiProperty({ type: ProviderViewDto }) provider: ProviderViewDto;
  @ApiProperty() rationale: string;
  @ApiProperty({ type: String, nullable: true }) assessmentRef: string | null;
  @ApiProperty() referredAt: string;
  @ApiProperty({
    type: ReferralOutcomeDto,
    nullable: true,
    description: 'Recorded by CTED for external referrals; UNODC referrals follow from delivery',
  })
  outcome: ReferralOutcomeDto | null;
}

export class ReferralListDto {
  @ApiProperty({ type: [ReferralViewDto] }) items: ReferralViewDto[];
}

export class PlanViewDto {
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ enum: ['proposed', 'revision_requested', 'agreed', 'approved'] }) status: string;
  @ApiProperty({
    type: 'array',
    items: { $ref: getSchemaPath('PlannedActivity') },
    description: 'As proposed: the same shape (one schema) as in propose-plan',
  })
  activities: PlannedActivity[];
  @ApiProperty({ example: 35000 }) budgetUsd: number;
  @ApiProperty() ctedConsulted: boolean;
  @ApiProperty({ type: String, nullable: true }) revisionComments: string | null;
}

export class FundingViewDto {
  @ApiProperty({ example: 'PLEDGE-NOR-2026-07' }) pledgeRef: string;
  @ApiProperty({ example: 'Norway' }) donor: string;
  @ApiProperty({ example: 35000 }) amountUsd: number;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ description: 'Released back to the donor when the request was withdrawn' }) released: boolean;
}

export class WorkPlanViewDto {
  @ApiProperty({ type: PlanViewDto, nullable: true, description: 'null until UNODC proposes a plan' })
  plan: PlanViewDto | null;
  @ApiProperty({ type: [FundingViewDto] }) funding: FundingViewDto[];
  @ApiProperty({ example: 35000, description: 'Funding recorded and not released' }) fundedUsd: number;
}

export class EvaluationAnswersDto {
  @ApiProperty({ minimum: 1, maximum: 5 }) relevance: number;
  @ApiProperty({ minimum: 1, maximum: 5 }) usefulness: number;
  @ApiProperty() comments: string;
  @ApiProperty({ type: [FurtherNeedDto] }) furtherNeeds: FurtherNeedDto[];
  @ApiProperty() submittedAt: string;
}

export class IndicatorsViewDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [{ instrument: '2005-NUCLEAR-TERRORISM', depositedOn: '2027-06-01' }],
  })
  ratifications: { instrument: string; depositedOn: string }[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [{ title: 'Prevention of Terrorism (Amendment) Act', status: 'adopted', date: '2027-09-01' }],
  })
  laws: { title: string; status: string; date: string }[];
  @ApiProperty({ example: 44 }) officialsTrained: number;
}

export class FollowUpRefDto {
  @ApiProperty({ example: 'CTAP-2026-000001-F1' }) reference: string;
  @ApiProperty({ example: 'cted_review' }) stage: string;
}

export class EvaluationViewDto {
  @ApiProperty({
    type: EvaluationAnswersDto,
    nullable: true,
    description: 'null until the State answers the questionnaire',
  })
  evaluation: EvaluationAnswersDto | null;
  @ApiProperty({ type: IndicatorsViewDto }) indicators: IndicatorsViewDto;
  @ApiProperty({ type: [FollowUpRefDto], description: 'Requests opened from the further needs' })
  followUps: FollowUpRefDto[];
}

export class DeliveryReportViewDto {
  @ApiProperty({ example: '2027-03-03' }) deliveredOn: string;
  @ApiProperty({ example: 'Nairobi' }) place: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { KEN: 25 } })
  participantsByState: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { judge: 10, prosecutor: 12 } })
  officialsTrainedByProfession: Record<string, number>;
  @ApiProperty({ type: [String], example: ['Revised draft bill'] }) outputs: string[];
}

export class DeliveryActivityDto {
  @ApiProperty({ example: 'drafting-ws-1' }) key: string;
  @ApiProperty({ enum: ['scheduled', 'delivered', 'cancelled'] }) status: string;
  @ApiProperty({ example: '2027-03-01' }) startDate: string;
  @ApiProperty({ example: '2027-03-03' }) endDate: string;
  @ApiProperty({ example: 'Nairobi' }) place: string;
  @ApiProperty({ example: 0 }) reschedules: number;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ type: String, nullable: true }) modality: string | null;
  @ApiProperty({ type: String, nullable: true }) thematicArea: string | null;
  @ApiProperty({ type: [String] }) participatingStates: string[];
  @ApiProperty({ type: [String] }) partners: string[];
  @ApiProperty({
    type: () => DeliveryReportViewDto,
    nullable: true,
    description: 'The delivery report, once delivered',
  })
  report: DeliveryReportViewDto | null;
  @ApiProperty() updatedAt: string;
  @ApiProperty({
    enum: ['report_delivered', 'reschedule', 'cancel'],
    isArray: true,
    description:
      'What the caller may do on this activity now (UNODC, while it is scheduled): the routes activities/{key}/actions/report-delivered|reschedule|cancel',
  })
  allowedActions: ('report_delivered' | 'reschedule' | 'cancel')[];
}

export class DeliveryActivityListDto {
  @ApiProperty({ type: [DeliveryActivityDto] }) items: DeliveryActivityDto[];
}

function needsById(state: RequestState, ids: string[]): ReferralNeedDto[] {
  return ids.map((id) => {
    const n = state.needs.find((x) => x.id === id);
    return { id, thematicArea: n?.thematicArea ?? '', description: n?.description ?? '' };
  });
}

export function toReferrals(state: RequestState | null): ReferralListDto {
  return {
    items: (state?.referrals ?? []).map((r) => ({
      id: r.id,
      needs: needsById(state!, r.needIds),
      provider:
        r.provider.kind === 'external' ? { kind: 'external', name: r.provider.name } : { kind: r.provider.kind },
      rationale: r.rationale,
      assessmentRef: r.assessmentRef ?? null,
      referredAt: r.referredAt,
      outcome: r.outcome
        ? { delivered: r.outcome.delivered, notes: r.outcome.notes, recordedAt: r.outcome.recordedAt }
        : null,
    })),
  };
}

function toPlannedActivity(a: PlannedActivity): PlannedActivity {
  return {
    key: a.key,
    title: a.title,
    modality: a.modality,
    thematicArea: a.thematicArea,
    startDate: a.startDate,
    endDate: a.endDate,
    place: a.place,
    participatingStates: a.participatingStates,
    partners: a.partners,
    budgetUsd: a.budgetUsd,
    ...(a.sharedKey !== undefined ? { sharedKey: a.sharedKey } : {}),
  };
}

export function toWorkPlan(state: RequestState | null): WorkPlanViewDto {
  const plan = state?.plan;
  const funding = state?.funding ?? [];
  return {
    plan: plan
      ? {
          version: plan.version,
          status: plan.status,
          activities: plan.activities.map(toPlannedActivity),
          budgetUsd: plan.budgetUsd,
          ctedConsulted: plan.ctedConsulted,
          revisionComments: plan.revisionComments ?? null,
        }
      : null,
    funding: funding.map((f) => ({
      pledgeRef: f.pledgeRef,
      donor: f.donor,
      amountUsd: f.amountUsd,
      recordedAt: f.recordedAt,
      released: f.released,
    })),
    fundedUsd: funding.filter((f) => !f.released).reduce((sum, f) => sum + f.amountUsd, 0),
  };
}

export function toEvaluation(state: RequestState | null, followUps: FollowUpRefDto[]): EvaluationViewDto {
  const e = state?.evaluation;
  const i = state?.indicators;
  return {
    evaluation: e
      ? {
          relevance: e.relevance,
          usefulness: e.usefulness,
          comments: e.comments,
          furtherNeeds: e.furtherNeeds.map((n) => ({
            id: n.id,
            thematicArea: n.thematicArea,
            description: n.description,
            modalities: n.modalities ?? [],
          })),
          submittedAt: e.submittedAt,
        }
      : null,
    indicators: {
      ratifications: (i?.ratifications ?? []).map((r) => ({ instrument: r.instrument, depositedOn: r.depositedOn })),
      laws: (i?.laws ?? []).map((l) => ({ title: l.title, status: l.status, date: l.date })),
      officialsTrained: i?.officialsTrained ?? 0,
    },
    followUps,
  };
}

/** A delivery activity's read-model row, its stored report in the view's shape. */
export type ActivityRow = Omit<DeliveryActivityRow, 'report'> & { report: DeliveryReportViewDto | null };

export function toDeliveryActivity(
  row: ActivityRow,
  state: RequestState | null,
  caller: { role: Role },
): DeliveryActivityDto {
  const planned = state?.plan?.activities.find((a) => a.key === row.key);
  return {
    key: row.key,
    status: row.status,
    startDate: row.start_date,
    endDate: row.end_date,
    place: row.place,
    reschedules: row.reschedules,
    title: planned?.title ?? null,
    modality: planned?.modality ?? null,
    thematicArea: planned?.thematicArea ?? null,
    participatingStates: planned?.participatingStates ?? [],
    partners: planned?.partners ?? [],
    report: row.report
      ? {
          deliveredOn: String(row.report.deliveredOn),
          place: String(row.report.place),
          participantsByState: row.report.participantsByState as Record<string, number>,
          officialsTrainedByProfession: row.report.officialsTrainedByProfession as Record<string, number>,
          outputs: row.report.outputs as string[],
        }
      : null,
    updatedAt: new Date(row.updated_at).toISOString(),
    allowedActions: allowedActivityActions(row, caller),
  };
}
