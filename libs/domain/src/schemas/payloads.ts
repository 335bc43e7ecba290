import { z } from 'zod';
import { customIssueParams } from './issues';
import { lazyRecord, once } from './lazy';
import { MODALITY_CODES, PROFESSIONS, SHARED_KEY_PATTERN, THEMATIC_AREAS, UNIVERSAL_INSTRUMENTS } from '../taxonomy';
import {
  ACTIVITY_KEY_PATTERN,
  MAX_PEOPLE,
  MAX_USD,
  count,
  distinct,
  identifier,
  isoDate,
  iso3,
  oneOf,
  record,
  text,
} from './primitives';

/**
 * One schema per decision payload (the body without `decisionId`). The HTTP layer validates the
 * body with it and the request's workflow validates each Update with it again: one definition.
 */

export const thematicArea = () => oneOf(THEMATIC_AREAS);
export const modality = () => oneOf(MODALITY_CODES as [string, ...string[]]);
/** Free text of a decision (reasons, notes, questions). */
const note = () => text(4000);
const longText = () => text(20000);

const notBefore = (v: { startDate: string; endDate: string }) => v.endDate >= v.startDate;
const NOT_BEFORE = {
  path: ['endDate'],
  message: 'must not be before startDate',
  params: customIssueParams('not_before', { field: 'startDate' }),
};

/** Two needs are the same need when their thematic area and description (ignoring case) match. */
export const sameNeed = (n: { thematicArea: string; description: string }) =>
  `${n.thematicArea}\n${n.description.toLowerCase()}`;

const providerSchema = once(() =>
  z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('unodc_tpb') }),
      z.strictObject({ kind: z.literal('external'), name: text(200) }),
    ])
    .meta({ id: 'Provider', description: 'UNODC Terrorism Prevention Branch, or an external provider (named)' }),
);
export type Provider = z.output<ReturnType<typeof providerSchema>>;

const referralInput = once(() =>
  z
    .strictObject({
      needIds: z
        .array(identifier(/^need-\d{1,3}$/, 'must be a need id such as need-1', 'need-1'))
        .min(1)
        .max(20)
        .meta({ example: ['need-2'] }),
      provider: providerSchema(),
      rationale: note().meta({ example: 'The IMF already runs an FIU programme in the country' }),
      assessmentRef: text(120).meta({ example: 'CTED/PIA/KEN/2026' }).optional(),
    })
    .meta({ id: 'ReferralInput' }),
);

/** One activity of a work plan: the single definition of its shape (views reuse it). */
const plannedActivitySchema = once(() =>
  z
    .strictObject({
      key: identifier(
        ACTIVITY_KEY_PATTERN,
        'must be 1 to 80 letters, digits or ._-, starting with a letter or digit',
        'drafting-ws-1',
      ),
      title: text(300).meta({ example: 'National legislative drafting workshop on the Prevention of Terrorism Bill' }),
      modality: modality().meta({ example: 'national_legislative_drafting_workshop' }),
      thematicArea: thematicArea().meta({ example: 'legislative_incorporation' }),
      startDate: isoDate,
      endDate: isoDate,
      place: text(200).meta({ example: 'Nairobi' }),
      participatingStates: z
        .array(iso3)
        .min(1)
        .max(60)
        .meta({ example: ['KEN'], description: 'ISO 3166 alpha-3 codes; must include the requesting State' }),
      partners: z
        .array(text(200))
        .max(30)
        .meta({ example: ['OHCHR'] }),
      budgetUsd: count(MAX_USD).meta({ example: 20000, description: 'Whole US dollars' }),
      sharedKey: identifier(
        SHARED_KEY_PATTERN,
        'must be 3 to 60 capital letters, digits or -',
        'RW-2027-EAST-AFRICA-CFT',
      )
        .optional()
        .describe(
          "Set for a subregional, regional or international activity serving several States' requests at once: " +
            'every request whose plan names the same sharedKey is linked to one delivery activity.',
        ),
    })
    .refine(notBefore, NOT_BEFORE)
    .meta({ id: 'PlannedActivity' }),
);
export type PlannedActivity = z.output<ReturnType<typeof plannedActivitySchema>>;

const ratification = once(() =>
  z
    .strictObject({
      instrument: oneOf(UNIVERSAL_INSTRUMENTS).meta({
        example: '2005-NUCLEAR-TERRORISM',
        description: 'Code of one of the 19 universal instruments (GET /api/v1/reference-data, `instruments`)',
      }),
      depositedOn: isoDate,
    })
    .meta({ id: 'Ratification' }),
);
const law = once(() =>
  z
    .strictObject({
      title: text(300).meta({ example: 'Prevention of Terrorism (Amendment) Act' }),
      status: oneOf(['drafted', 'adopted']).meta({ example: 'adopted' }),
      date: isoDate,
    })
    .meta({ id: 'Law' }),
);
const furtherNeed = once(() =>
  z
    .strictObject({
      thematicArea: thematicArea().meta({ example: 'criminal_justice_capacity' }),
      description: text(4000, 5).meta({ example: 'Train judges on the new law' }),
      modalities: z
        .array(modality())
        .max(10)
        .meta({ example: ['mock_trial'] })
        .optional(),
    })
    .meta({ id: 'FurtherNeed' }),
);
const planVersion = once(() =>
  z
    .int()
    .min(1)
    .max(1_000_000)
    .meta({ example: 1, description: 'The version of the proposed plan (see GET .../work-plan)' }),
);

/** Payload schemas keyed by decision type, each built at its first use (see ./lazy). */
export const DECISION_PAYLOAD_SCHEMAS = lazyRecord({
  request_information: () =>
    z.strictObject({
      questions: z
        .array(note())
        .min(1)
        .max(20)
        .meta({ example: ['Which ministry leads the drafting of the bill?'] }),
    }),
  provide_information: () =>
    z.strictObject({
      answer: longText().meta({
        example: 'The Office of the Attorney-General leads; the FIU has operated since 2012.',
      }),
    }),
  refer_needs: () => z.strictObject({ referrals: z.array(referralInput()).min(1).max(20) }),
  decline: () =>
    z.strictObject({
      reason: note().meta({ example: 'Duplicate of CTAP-2026-000014, which covers the same needs' }),
    }),
  record_referral_outcome: () =>
    z.strictObject({
      referralId: identifier(/^ref-\d{1,4}$/, 'must be a referral id such as ref-1', 'ref-1'),
      delivered: z.boolean().meta({ example: true, description: 'Did the referral lead to assistance delivered?' }),
      notes: note().meta({ example: 'IMF delivered FIU analyst training in March' }),
    }),
  propose_plan: () => z.strictObject({ activities: z.array(plannedActivitySchema()).min(1).max(50) }),
  accept_plan: () => z.strictObject({ planVersion: planVersion() }),
  request_plan_revision: () =>
    z.strictObject({
      planVersion: planVersion(),
      comments: note().meta({ example: 'Please hold the workshop in Mombasa and add the judiciary' }),
    }),
  record_cted_consultation: () =>
    z.strictObject({
      summary: note().meta({ example: 'CTED agrees; no overlap with the IMF programme' }),
    }),
  approve_plan: () => z.strictObject({}),
  record_funding: () =>
    z.strictObject({
      pledgeRef: text(120).meta({ example: 'PLEDGE-NOR-2026-07', description: 'Unique per request' }),
      donor: text(200).meta({ example: 'Norway' }),
      amountUsd: count(MAX_USD, 1).meta({ example: 35000, description: 'Whole US dollars' }),
    }),
  complete_delivery: () =>
    z.strictObject({
      summary: note().meta({ example: 'Both workshops delivered; the bill went to Parliament in April' }).optional(),
    }),
  record_indicators: () =>
    z
      .strictObject({
        ratifications: z.array(ratification()).max(50).optional(),
        laws: z.array(law()).max(50).optional(),
        officialsTrained: count(MAX_PEOPLE)
          .meta({ example: 44, description: 'At least one of ratifications, laws or officialsTrained must be given' })
          .optional(),
      })
      .refine((p) => Boolean(p.ratifications?.length || p.laws?.length || p.officialsTrained), {
        path: ['officialsTrained'],
        message: 'record at least one indicator: ratifications, laws or officialsTrained',
        params: customIssueParams('at_least_one', { fields: 'ratifications, laws, officialsTrained' }),
      }),
  submit_evaluation: () =>
    z.strictObject({
      relevance: z.int().min(1).max(5).meta({ example: 5 }),
      usefulness: z.int().min(1).max(5).meta({ example: 4 }),
      comments: longText().meta({ example: 'Very useful; the drafting workshop unblocked the bill' }),
      furtherNeeds: z.array(furtherNeed()).max(20).superRefine(distinct(sameNeed, 'need')).optional(),
    }),
  withdraw: () => z.strictObject({ reason: note().meta({ example: 'Change of government priorities' }) }),
});

type PayloadSchemas = typeof DECISION_PAYLOAD_SCHEMAS;
export type DecisionType = keyof PayloadSchemas;
/** Payload of every human decision, keyed by decision type. */
export type DecisionPayloads = { [T in DecisionType]: z.output<PayloadSchemas[T]> };

const participantsByState = once(() =>
  record(iso3, count(MAX_PEOPLE))
    .refine((m) => Object.keys(m).length <= 60, {
      message: 'at most 60 States',
      params: customIssueParams('too_many', { max: 60 }),
    })
    .meta({ description: 'Participants per participating State (ISO 3166 alpha-3)', example: { KEN: 25 } }),
);
const officialsTrainedByProfession = once(() =>
  record(oneOf(PROFESSIONS), count(MAX_PEOPLE), true).meta({
    description: `Officials trained per profession: ${PROFESSIONS.join(', ')}`,
    example: { judge: 10, prosecutor: 12 },
  }),
);

/** Payload schemas of the actions on a delivery activity (without decisionId), built at first use. */
export const ACTIVITY_PAYLOAD_SCHEMAS = lazyRecord({
  report_delivered: () =>
    z.strictObject({
      deliveredOn: isoDate,
      place: text(200)
        .meta({ example: 'Mombasa', description: 'Where it took place, if not where planned' })
        .optional(),
      participantsByState: participantsByState(),
      officialsTrainedByProfession: officialsTrainedByProfession(),
      outputs: z
        .array(text(500))
        .max(50)
        .meta({
          description: 'Outputs such as draft laws or compilations',
          example: ['Revised draft Prevention of Terrorism (Amendment) Bill'],
        }),
    }),
  reschedule: () =>
    z
      .strictObject({
        startDate: isoDate,
        endDate: isoDate,
        place: text(200).meta({ example: 'Mombasa' }).optional(),
        reason: note().meta({ example: 'The Parliament sits in the first week of March' }),
      })
      .refine(notBefore, NOT_BEFORE),
  cancel: () => z.strictObject({ reason: note().meta({ example: 'The online course replaces this workshop' }) }),
});
export type ActivityAction = keyof typeof ACTIVITY_PAYLOAD_SCHEMAS;
export type ActivityPayloads = { [A in ActivityAction]: z.output<(typeof ACTIVITY_PAYLOAD_SCHEMAS)[A]> };
