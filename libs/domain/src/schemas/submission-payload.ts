import { z } from 'zod';
import { distinct, isoDate, iso3, oneOf, text } from './primitives';
import { modality, sameNeed, thematicArea } from './payloads';

/**
 * The submission's schemas (POST /api/v1/requests): the HTTP layer validates a new request with
 * them. Kept apart from the decision payloads because no workflow validates a submission, so the
 * workflow bundle leaves this module out (see ./lazy for why that matters).
 */

export const needSchema = z
  .strictObject({
    thematicArea: thematicArea().meta({ example: 'legislative_incorporation' }),
    description: text(4000, 5).meta({
      example: 'Review the draft counter-terrorism bill against the 19 universal instruments',
    }),
    modalities: z
      .array(modality())
      .max(10)
      .meta({ example: ['national_legislative_drafting_workshop'] }),
  })
  .meta({ id: 'Need' });

export const consentSchema = z
  .strictObject({
    grantedBy: text(200, 2).meta({ example: 'Permanent Mission of Kenya, Vienna' }),
    grantedAt: isoDate,
    scope: text(1000, 5).meta({
      example: 'Needs identified in the 2026 country assessment visit, legislative and judicial areas',
    }),
  })
  .meta({ id: 'Consent' });

/** Body of POST /api/v1/requests. */
export const submitRequestSchema = z.strictObject({
  title: text(200, 5).meta({ example: 'Legislative assistance to incorporate the universal instruments' }),
  memberState: iso3
    .optional()
    .describe("Required when CTED files on a State's behalf; a focal point files for its own State."),
  needs: z.array(needSchema).min(1).max(20).superRefine(distinct(sameNeed, 'need')),
  urgency: oneOf(['routine', 'urgent']).meta({ example: 'routine' }),
  consent: consentSchema.optional().describe('Required when CTED opens the request from an assessment finding'),
  assessmentRef: text(120).meta({ example: 'CTED/PIA/KEN/2026' }).optional(),
});
export type SubmitRequest = z.output<typeof submitRequestSchema>;
