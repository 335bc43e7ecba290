import { z } from 'zod';
import { ASSIGNMENT_EVENT } from '../assignment';
import { DECISION_TYPES } from '../decision-rules';
import { DELIVERY_MODES, NOTIFICATION_KINDS, SYSTEM_EVENT_TYPES } from '../notifications';
import { distinct, iso3, oneOf } from './primitives';
import { cursor, pageSize } from './queries';

/** The inputs of the notification, preference, webhook and event-feed routes (issue 12). */

export const listNotificationsQuerySchema = z.strictObject({
  limit: pageSize(100, 20),
  cursor: cursor.optional(),
});

export const notificationPreferencesSchema = z.strictObject({
  preferences: z
    .array(
      z.strictObject({
        kind: oneOf(NOTIFICATION_KINDS as unknown as [string, ...string[]]),
        mode: oneOf(DELIVERY_MODES as unknown as [string, ...string[]]).describe(
          'E-mail delivery; in-app notifications are always kept',
        ),
      }),
    )
    .max(50)
    .superRefine(distinct((p) => p.kind, 'the preference of kind'))
    .meta({ example: [{ kind: 'reminder', mode: 'daily_digest' }] }),
});

export const WEBHOOK_EVENT_TYPES = ['*', ...DECISION_TYPES, ASSIGNMENT_EVENT, ...SYSTEM_EVENT_TYPES] as [
  string,
  ...string[],
];
/** http(s) only; a URL another system will be called at, so nothing but a plain absolute URL. */
const webhookUrl = z
  .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
  .max(2000)
  .meta({ example: 'https://cted-db.example.org/hooks/ctap' });
const eventTypes = z
  .array(oneOf(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(60)
  .meta({ example: ['submitted', 'closed'] });

export const createWebhookSchema = z.strictObject({
  url: webhookUrl,
  eventTypes,
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'must be whsec_ followed by base64')
    .optional()
    .meta({
      description: 'Standard Webhooks secret (whsec_ + base64 of 24 to 64 bytes); generated when absent',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
  memberState: iso3.optional().describe("Only this State's requests' events (a State's own system)"),
  active: z.boolean().optional().meta({ description: 'Default true', example: true }),
});

export const updateWebhookSchema = z.strictObject({
  url: webhookUrl.optional(),
  eventTypes: eventTypes.optional(),
  active: z.boolean().optional().meta({ example: false }),
});

export const listDeliveriesQuerySchema = z.strictObject({ cursor: cursor.optional(), limit: pageSize(200, 50) });

export const eventFeedQuerySchema = z.strictObject({
  after: z.string().max(100).optional().describe('`nextCursor` of the previous call'),
  limit: pageSize(500, 100),
});

/** A numeric id in a path (notification, delivery), as Postgres bigint text. */
export const NUMERIC_ID_PATTERN = /^\d{1,18}$/;
