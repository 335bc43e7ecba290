import { z } from 'zod';
import { MODALITY_CODES, PROFESSIONS, SHARED_KEY_PATTERN, THEMATIC_AREAS } from '../taxonomy';
import { ACTIVITY_KEY_PATTERN, MAX_PEOPLE, MAX_USD, count, identifier, isoDate, iso3, oneOf, text } from './primitives';

/**
 * One schema per decision payload (the body without `decisionId`). The HTTP layer validates the
 * body with it and the request's workflow validates each Update with it again: one definition.
 */

const thematicArea = oneOf(THEMATIC_AREAS);
const modality = oneOf(MODALITY_CODES as [string, ...string[]]);
/** Free text of a decision (reasons, notes, questions). */
const note = text(4000);
const longText = text(20000);

const notBefore = (v: { startDate: string; endDate: string }) => v.endDate >= v.startDate;
const NOT_BEFORE = { path: ['endDate'], message: 'must not be before startDate' };

export const needSchema = z
  .strictObject({
    thematicArea,
    description: text(4000, 5),
    modalities: z.array(modality).max(10),
  })
  .meta({ id: 'Need' });

export const consentSchema = z
  .strictObject({
    grantedBy: text(200, 2),
    grantedAt: isoDate,
    scope: text(1000, 5),
  })
  .meta({ id: 'Consent' });

/** Body of POST /api/v1/requests. */
export const submitRequestSchema = z
  .strictObject({
    title: text(200, 5),
    memberState: iso3
      .optional()
      .describe("Required when CTED files on a State's behalf; a focal point files for its own State."),
    needs: z.array(needSchema).min(1).max(20),
    urgency: oneOf(['routine', 'urgent']),
    consent: consentSchema.optional().describe('Required when CTED opens the request from an assessment finding'),
    assessmentRef: text(120).optional(),
  })
  .meta({ id: 'SubmitRequest' });
export type SubmitRequest = z.output<typeof submitRequestSchema>;

export const providerSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('unodc_tpb') }),
    z.strictObject({ kind: z.literal('external'), name: text(200) }),
  ])
  .meta({ id: 'Provider', description: 'UNODC Terrorism Prevention Branch, or an external provider (named)' });

const referralInput = z
  .strictObject({
    needIds: z
      .array(identifier(/^need-\d{1,3}$/, 'must be a need id such as need-1', 'need-1'))
      .min(1)
      .max(20),
    provider: providerSchema,
    rationale: note,
    assessmentRef: text(120).optional(),
  })
  .meta({ id: 'ReferralInput' });

/** One activity of a work plan: the single definition of its shape (views reuse it). */
export const plannedActivitySchema = z
  .strictObject({
    key: identifier(ACTIVITY_KEY_PATTERN, 'must be 1 to 80 letters, digits or ._-', 'drafting-ws-1'),
    title: text(300),
    modality,
    thematicArea,
    startDate: isoDate,
    endDate: isoDate,
    place: text(200),
    participatingStates: z.array(iso3).min(1).max(60),
    partners: z.array(text(200)).max(30),
    budgetUsd: count(MAX_USD),
    sharedKey: identifier(SHARED_KEY_PATTERN, 'must be 3 to 60 capital letters, digits or -', 'RW-2027-EAST-AFRICA-CFT')
      .optional()
      .describe(
        "Set for a subregional, regional or international activity serving several States' requests at once: " +
          'every request whose plan names the same sharedKey is linked to one delivery activity.',
      ),
  })
  .refine(notBefore, NOT_BEFORE)
  .meta({ id: 'PlannedActivity' });
export type PlannedActivity = z.output<typeof plannedActivitySchema>;

const ratification = z.strictObject({ instrument: text(40), depositedOn: isoDate }).meta({ id: 'Ratification' });
const law = z
  .strictObject({ title: text(300), status: oneOf(['drafted', 'adopted']), date: isoDate })
  .meta({ id: 'Law' });
const furtherNeed = z
  .strictObject({ thematicArea, description: text(4000, 5), modalities: z.array(modality).max(10).optional() })
  .meta({ id: 'FurtherNeed' });
const planVersion = z.int().min(1).max(1_000_000);

/** Payload schemas keyed by decision type. */
export const DECISION_PAYLOAD_SCHEMAS = {
  request_information: z.strictObject({ questions: z.array(note).min(1).max(20) }),
  provide_information: z.strictObject({ answer: longText }),
  refer_needs: z.strictObject({ referrals: z.array(referralInput).min(1).max(20) }),
  decline: z.strictObject({ reason: note }),
  record_referral_outcome: z.strictObject({
    referralId: identifier(/^ref-\d{1,4}$/, 'must be a referral id such as ref-1', 'ref-1'),
    delivered: z.boolean(),
    notes: note,
  }),
  propose_plan: z.strictObject({ activities: z.array(plannedActivitySchema).min(1).max(50) }),
  accept_plan: z.strictObject({ planVersion }),
  request_plan_revision: z.strictObject({ planVersion, comments: note }),
  record_cted_consultation: z.strictObject({ summary: note }),
  approve_plan: z.strictObject({}),
  record_funding: z.strictObject({ pledgeRef: text(120), donor: text(200), amountUsd: count(MAX_USD, 1) }),
  complete_delivery: z.strictObject({ summary: note.optional() }),
  record_indicators: z
    .strictObject({
      ratifications: z.array(ratification).max(50).optional(),
      laws: z.array(law).max(50).optional(),
      officialsTrained: count(MAX_PEOPLE).optional(),
    })
    .refine((p) => Boolean(p.ratifications?.length || p.laws?.length || p.officialsTrained), {
      path: ['officialsTrained'],
      message: 'record at least one indicator: ratifications, laws or officialsTrained',
    }),
  submit_evaluation: z.strictObject({
    relevance: z.int().min(1).max(5),
    usefulness: z.int().min(1).max(5),
    comments: longText,
    furtherNeeds: z.array(furtherNeed).max(20).optional(),
  }),
  withdraw: z.strictObject({ reason: note }),
} as const;

type PayloadSchemas = typeof DECISION_PAYLOAD_SCHEMAS;
export type DecisionType = keyof PayloadSchemas;
/** Payload of every human decision, keyed by decision type. */
export type DecisionPayloads = { [T in DecisionType]: z.output<PayloadSchemas[T]> };

const participantsByState = z
  .record(iso3, count(MAX_PEOPLE))
  .refine((m) => Object.keys(m).length <= 60, 'at most 60 States')
  .describe('Participants per participating State (ISO 3166 alpha-3)');
const officialsTrainedByProfession = z
  .partialRecord(oneOf(PROFESSIONS), count(MAX_PEOPLE))
  .describe(`Officials trained per profession: ${PROFESSIONS.join(', ')}`);

/** Payload schemas of the actions on a delivery activity (without decisionId). */
export const ACTIVITY_PAYLOAD_SCHEMAS = {
  report_delivered: z.strictObject({
    deliveredOn: isoDate,
    place: text(200).optional().describe('Where it took place, if not where planned'),
    participantsByState,
    officialsTrainedByProfession,
    outputs: z.array(text(500)).max(50).describe('Outputs such as draft laws or compilations'),
  }),
  reschedule: z
    .strictObject({ startDate: isoDate, endDate: isoDate, place: text(200).optional(), reason: note })
    .refine(notBefore, NOT_BEFORE),
  cancel: z.strictObject({ reason: note }),
} as const;
export type ActivityAction = keyof typeof ACTIVITY_PAYLOAD_SCHEMAS;
export type ActivityPayloads = { [A in ActivityAction]: z.output<(typeof ACTIVITY_PAYLOAD_SCHEMAS)[A]> };
