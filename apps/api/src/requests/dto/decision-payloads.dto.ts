import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { MODALITY_CODES, THEMATIC_AREAS } from '@app/domain';
import { IsDateOnly, IsText, IsTextEach } from '../../common/validators';

/**
 * Body of every decision: the decision's own fields at the top level, plus an optional
 * `decisionId`. Sending the same decisionId again (same user, same request) applies the decision
 * once and answers with the current state.
 */
export class DecisionBaseDto {
  @ApiPropertyOptional({
    description:
      'Client-chosen id making the call safe to retry: a decision with an id you already used on this request is applied once. ' +
      'Defaults to the Idempotency-Key header, else a fresh id (then a retry may apply the decision twice if the workflow allows it).',
    example: '7d0c6a52-2b7e-4c61-9a8e-1d2f3e4a5b6c',
    pattern: '^[A-Za-z0-9._:-]{1,120}$',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,120}$/, { message: 'decisionId must be 1 to 120 letters, digits or ._:-' })
  decisionId?: string;
}

export class RequestInformationDto extends DecisionBaseDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 20,
    example: ['Which ministry leads the drafting of the bill?', 'Is the financial intelligence unit operational?'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsTextEach(4000)
  questions: string[];
}

export class ProvideInformationDto extends DecisionBaseDto {
  @ApiProperty({
    maxLength: 20000,
    example: 'The Office of the Attorney-General leads; the FIU has operated since 2012.',
  })
  @IsText(20000)
  answer: string;
}

export class ProviderDto {
  @ApiProperty({
    enum: ['unodc_tpb', 'external'],
    example: 'external',
    description: 'UNODC Terrorism Prevention Branch, or an external (bilateral or multilateral) provider',
  })
  @IsIn(['unodc_tpb', 'external'])
  kind: 'unodc_tpb' | 'external';

  @ApiPropertyOptional({
    description: 'Required for an external provider, absent for UNODC',
    example: 'International Monetary Fund',
    maxLength: 200,
  })
  @ValidateBy({
    name: 'providerName',
    validator: {
      validate: (value: unknown, args) => {
        const kind = (args?.object as ProviderDto).kind;
        if (kind !== 'external') return value === undefined;
        return typeof value === 'string' && /\S/.test(value) && value.length <= 200;
      },
      defaultMessage: (args) =>
        (args?.object as ProviderDto).kind === 'external'
          ? 'name is required for an external provider (1 to 200 characters)'
          : 'name is only given for an external provider',
    },
  })
  name?: string;
}

export class ReferralInputDto {
  @ApiProperty({
    type: [String],
    example: ['need-2'],
    description: "Ids of the request's needs (need-1, need-2, ... in submission order)",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(/^need-\d{1,3}$/, { each: true, message: 'each value in needIds must be a need id such as need-1' })
  needIds: string[];

  @ApiProperty({ type: ProviderDto })
  @ValidateNested()
  @Type(() => ProviderDto)
  provider: ProviderDto;

  @ApiProperty({ example: 'The IMF already runs an FIU programme in the country' })
  @IsText(4000)
  rationale: string;

  @ApiPropertyOptional({ example: 'CTED/PIA/KEN/2026', maxLength: 120 })
  @IsOptional()
  @IsText(120)
  assessmentRef?: string;
}

export class ReferNeedsDto extends DecisionBaseDto {
  @ApiProperty({
    type: [ReferralInputDto],
    description: 'Every need of the request must be referred exactly once',
    example: [
      { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads legislative assistance' },
      {
        needIds: ['need-2'],
        provider: { kind: 'external', name: 'International Monetary Fund' },
        rationale: 'IMF FIU programme in place',
        assessmentRef: 'CTED/PIA/KEN/2026',
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReferralInputDto)
  referrals: ReferralInputDto[];
}

export class DeclineDto extends DecisionBaseDto {
  @ApiProperty({ example: 'Duplicate of CTAP-2026-000014, which covers the same needs' })
  @IsText(4000)
  reason: string;
}

export class RecordReferralOutcomeDto extends DecisionBaseDto {
  @ApiProperty({ example: 'ref-2', description: 'An external referral of this request (see GET .../referrals)' })
  @Matches(/^ref-\d{1,4}$/, { message: 'referralId must be a referral id such as ref-1' })
  referralId: string;

  @ApiProperty({ example: true, description: 'Did the referral lead to assistance delivered?' })
  @IsBoolean()
  delivered: boolean;

  @ApiProperty({ example: 'IMF delivered FIU analyst training in March' })
  @IsText(4000)
  notes: string;
}

export class PlannedActivityDto {
  @ApiProperty({
    example: 'drafting-ws-1',
    description: 'Unique within the plan; letters, digits and ._- (used in URLs)',
    pattern: '^[A-Za-z0-9._-]{1,80}$',
  })
  @Matches(/^[A-Za-z0-9._-]{1,80}$/, { message: 'key must be 1 to 80 letters, digits or ._-' })
  key: string;

  @ApiProperty({
    example: 'National legislative drafting workshop on the Prevention of Terrorism Bill',
    maxLength: 300,
  })
  @IsText(300)
  title: string;

  @ApiProperty({ enum: MODALITY_CODES, example: 'national_legislative_drafting_workshop' })
  @IsIn(MODALITY_CODES)
  modality: string;

  @ApiProperty({
    enum: THEMATIC_AREAS,
    example: 'legislative_incorporation',
    description: "One of the request's thematic areas",
  })
  @IsIn(THEMATIC_AREAS as unknown as string[])
  thematicArea: string;

  @ApiProperty({ example: '2027-03-01', format: 'date' })
  @IsDateOnly()
  startDate: string;

  @ApiProperty({ example: '2027-03-03', format: 'date', description: 'Not before startDate' })
  @IsDateOnly()
  endDate: string;

  @ApiProperty({ example: 'Nairobi', maxLength: 200 })
  @IsText(200)
  place: string;

  @ApiProperty({
    type: [String],
    example: ['KEN'],
    description: 'ISO 3166 alpha-3 codes; must include the requesting State',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @Matches(/^[A-Z]{3}$/, { each: true, message: 'each value in participatingStates must be an ISO 3166 alpha-3 code' })
  participatingStates: string[];

  @ApiProperty({ type: [String], example: ['OHCHR'] })
  @IsArray()
  @ArrayMaxSize(30)
  @IsTextEach(200)
  partners: string[];

  @ApiProperty({ example: 20000, minimum: 0, description: 'Whole US dollars' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  budgetUsd: number;

  @ApiPropertyOptional({
    example: 'RW-2027-EAST-AFRICA-CFT',
    pattern: '^[A-Z0-9-]{3,60}$',
    description:
      "Set for a subregional, regional or international activity serving several States' requests at once: every request whose plan names the same sharedKey is linked to one delivery activity. " +
      'participatingStates must then name at least one other State.',
  })
  @IsOptional()
  @Matches(/^[A-Z0-9-]{3,60}$/, { message: 'sharedKey must be 3 to 60 capital letters, digits or -' })
  sharedKey?: string;
}

export class ProposePlanDto extends DecisionBaseDto {
  @ApiProperty({ type: [PlannedActivityDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlannedActivityDto)
  activities: PlannedActivityDto[];
}

export class AcceptPlanDto extends DecisionBaseDto {
  @ApiProperty({ example: 1, description: 'The version of the proposed plan being accepted (see GET .../work-plan)' })
  @IsInt()
  @Min(1)
  planVersion: number;
}

export class RequestPlanRevisionDto extends DecisionBaseDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  planVersion: number;

  @ApiProperty({ example: 'Please hold the workshop in Mombasa and add the judiciary' })
  @IsText(4000)
  comments: string;
}

export class RecordCtedConsultationDto extends DecisionBaseDto {
  @ApiProperty({ example: 'CTED agrees; no overlap with the IMF programme' })
  @IsText(4000)
  summary: string;
}

export class ApprovePlanDto extends DecisionBaseDto {}

export class RecordFundingDto extends DecisionBaseDto {
  @ApiProperty({ example: 'PLEDGE-NOR-2026-07', maxLength: 120, description: 'Unique per request' })
  @IsText(120)
  pledgeRef: string;

  @ApiProperty({ example: 'Norway', maxLength: 200 })
  @IsText(200)
  donor: string;

  @ApiProperty({ example: 35000, minimum: 1, description: 'Whole US dollars' })
  @IsInt()
  @Min(1)
  @Max(10_000_000_000)
  amountUsd: number;
}

export class CompleteDeliveryDto extends DecisionBaseDto {
  @ApiPropertyOptional({ example: 'Both workshops delivered; the bill went to Parliament in April' })
  @IsOptional()
  @IsText(4000)
  summary?: string;
}

export class RatificationDto {
  @ApiProperty({ example: '2005-NUCLEAR-TERRORISM', maxLength: 40 })
  @IsText(40)
  instrument: string;

  @ApiProperty({ example: '2027-06-01', format: 'date' })
  @IsDateOnly()
  depositedOn: string;
}

export class LawDto {
  @ApiProperty({ example: 'Prevention of Terrorism (Amendment) Act', maxLength: 300 })
  @IsText(300)
  title: string;

  @ApiProperty({ enum: ['drafted', 'adopted'], example: 'adopted' })
  @IsIn(['drafted', 'adopted'])
  status: 'drafted' | 'adopted';

  @ApiProperty({ example: '2027-09-01', format: 'date' })
  @IsDateOnly()
  date: string;
}

export class RecordIndicatorsDto extends DecisionBaseDto {
  @ApiPropertyOptional({ type: [RatificationDto], description: 'New ratifications of the universal instruments' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RatificationDto)
  ratifications?: RatificationDto[];

  @ApiPropertyOptional({ type: [LawDto], description: 'Counter-terrorism laws drafted or adopted' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => LawDto)
  laws?: LawDto[];

  @ApiPropertyOptional({
    example: 44,
    minimum: 0,
    description: 'At least one of ratifications, laws or officialsTrained must be given',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  officialsTrained?: number;
}

export class FurtherNeedDto {
  @ApiProperty({ enum: THEMATIC_AREAS, example: 'criminal_justice_capacity' })
  @IsIn(THEMATIC_AREAS as unknown as string[])
  thematicArea: string;

  @ApiProperty({ example: 'Train judges on the new law', maxLength: 4000 })
  @IsText(4000, 5)
  description: string;

  @ApiPropertyOptional({ enum: MODALITY_CODES, isArray: true, example: ['mock_trial'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(MODALITY_CODES, { each: true })
  modalities?: string[];
}

export class SubmitEvaluationDto extends DecisionBaseDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  relevance: number;

  @ApiProperty({ minimum: 1, maximum: 5, example: 4 })
  @IsInt()
  @Min(1)
  @Max(5)
  usefulness: number;

  @ApiProperty({ example: 'Very useful; the drafting workshop unblocked the bill', maxLength: 20000 })
  @IsText(20000)
  comments: string;

  @ApiPropertyOptional({ type: [FurtherNeedDto], description: 'Further needs open a new, linked request' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FurtherNeedDto)
  furtherNeeds?: FurtherNeedDto[];
}

export class WithdrawDto extends DecisionBaseDto {
  @ApiProperty({ example: 'Change of government priorities' })
  @IsText(4000)
  reason: string;
}
