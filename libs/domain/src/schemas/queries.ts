import { z } from 'zod';
import { customIssueParams } from './issues';
import { MODALITY_CODES, THEMATIC_AREAS } from '../taxonomy';
import { Role, Stage } from '../stage';
import { assigneeFilter } from './assignment';
import { email, isoDate, iso3, oneOf, text } from './primitives';

/**
 * Query strings and the other inputs of the HTTP API. Every parameter is checked here before it
 * can reach SQL; unknown parameters are refused like unknown body fields.
 */

export const flag = oneOf(['true', 'false']).transform((v) => v === 'true');
/**
 * A page size in a query string: decimal digits only (`0x10`, ` 1` and `1e1` are refused, where
 * `Number()` would have read them), 1..max, `fallback` when absent.
 */
export const pageSize = (max: number, fallback: number) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : v),
      z.int(`must be a whole number from 1 to ${max}`).min(1).max(max),
    )
    .default(fallback);
/** Opaque: decoded (and refused with 422 when not issued by this API) where it is used. */
export const cursor = z
  .string()
  .max(400, 'must be a cursor this API issued')
  .describe('Opaque cursor from the previous page (`nextCursor`)');

const NOT_BEFORE = (from: string, to: string) => ({
  path: [to],
  message: `must not be before ${from}`,
  params: customIssueParams('not_before', { field: from }),
});

export const listRequestsQuerySchema = z
  .strictObject({
    stage: z.enum(Stage).optional(),
    memberState: iso3.optional(),
    region: text(60).optional(),
    thematicArea: oneOf(THEMATIC_AREAS).optional(),
    modality: oneOf(MODALITY_CODES as [string, ...string[]]).optional(),
    overdue: flag.optional(),
    owner: oneOf([Role.CtedOfficer, Role.UnodcManager, Role.MemberState]).optional(),
    assignee: assigneeFilter.optional(),
    origin: oneOf(['member_state', 'cted_assessment']).optional(),
    sort: oneOf(['newest', 'oldest', 'deadline', 'reference', 'stage'])
      .default('newest')
      .describe(
        'newest/oldest: by submission time; deadline: the nearest next deadline first (none last); reference: A to Z; stage: in lifecycle order, newest first within a stage. A cursor belongs to its sort.',
      ),
    submittedFrom: isoDate.optional().describe('First day (UTC), inclusive'),
    submittedTo: isoDate.optional().describe('Last day (UTC), inclusive'),
    q: text(200).optional().describe('Text searched in title and reference'),
    limit: pageSize(100, 25),
    cursor: cursor.optional(),
  })
  .refine(
    (q) => !q.submittedFrom || !q.submittedTo || q.submittedTo >= q.submittedFrom,
    NOT_BEFORE('submittedFrom', 'submittedTo'),
  );
export type ListRequestsQuery = z.output<typeof listRequestsQuerySchema>;

export const workQueueQuerySchema = z.strictObject({
  overdue: flag.optional().describe('Only overdue (true) or only on-time (false) requests'),
  assignee: assigneeFilter.optional(),
  limit: pageSize(100, 25),
  cursor: cursor.optional(),
});
export type WorkQueueQuery = z.output<typeof workQueueQuerySchema>;

/** GET /work-queue/counts: the same filters as the queue's pages, without paging. */
export const workQueueCountsQuerySchema = workQueueQuerySchema.omit({ limit: true, cursor: true });

export const USER_ROLES = [
  Role.MemberState,
  Role.CtedOfficer,
  Role.UnodcManager,
  Role.CtedSupervisor,
  Role.UnodcSupervisor,
  Role.Admin,
] as const;

export const listUsersQuerySchema = z.strictObject({
  role: z.enum(USER_ROLES).optional(),
  memberState: iso3.optional(),
  active: flag.optional(),
  limit: pageSize(200, 50),
  cursor: cursor.optional(),
});
export type ListUsersQuery = z.output<typeof listUsersQuerySchema>;

export const reportQuerySchema = z
  .strictObject({
    from: isoDate.optional().describe('First day of the period (inclusive, UTC); unbounded when absent'),
    to: isoDate.optional().describe('Last day of the period (inclusive, UTC); unbounded when absent'),
    memberState: iso3
      .optional()
      .describe("Only this State's figures; a focal point's are always its own State's (another State: 404)"),
    format: oneOf(['json', 'csv']).default('json'),
  })
  .refine((q) => !q.from || !q.to || q.to >= q.from, NOT_BEFORE('from', 'to'));
export type ReportQuery = z.output<typeof reportQuerySchema>;

/** A State for, and only for, a focal point (role member_state): one rule for creating and changing a user. */
function memberStateForRole(u: { role: string; memberState?: string | null }, ctx: z.core.$RefinementCtx): void {
  if (u.role === Role.MemberState && !u.memberState)
    ctx.addIssue({
      code: 'custom',
      path: ['memberState'],
      message: 'required for role member_state',
      params: customIssueParams('required'),
    });
  if (u.role !== Role.MemberState && u.memberState != null)
    ctx.addIssue({
      code: 'custom',
      path: ['memberState'],
      message: 'only given for role member_state',
      params: customIssueParams('not_allowed'),
    });
}

/** For operations without parameters: any query parameter is refused (400). */
export const noQuerySchema = z.strictObject({});

export const tokenRequestSchema = z.strictObject({
  email,
  // A password is compared, never shown: any characters, but a bounded length.
  password: z.string().min(1, 'required').max(200).meta({ example: 'Cted-Officer-2026!' }),
});

export const createUserSchema = z
  .strictObject({
    email: email.describe('Unique; stored in lower case'),
    displayName: text(200).meta({ example: 'Uganda focal point' }),
    password: z.string().min(12, 'must be at least 12 characters').max(200).meta({
      description: 'At least 12 characters; stored only as an argon2id hash',
      example: 'Correct-Horse-Battery-9',
    }),
    role: z.enum(USER_ROLES).meta({ example: 'member_state' }),
    memberState: iso3
      .nullable()
      .optional()
      .describe(
        'ISO 3166 alpha-3 of the State a focal point speaks for: required for role member_state, absent otherwise',
      ),
  })
  .superRefine(memberStateForRole);
export type CreateUser = z.output<typeof createUserSchema>;

/** An administrator's change of a user's role (and State, for a focal point). */
export const changeRoleSchema = z
  .strictObject({
    role: z.enum(USER_ROLES).meta({ example: 'cted_officer' }),
    memberState: iso3
      .nullable()
      .optional()
      .describe('ISO 3166 alpha-3: required for role member_state, absent otherwise'),
  })
  .superRefine(memberStateForRole);

/** The six official UN languages, as the web application and e-mail templates use them. */
export const UN_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type UnLanguage = (typeof UN_LANGUAGES)[number];

/** The caller's own profile: absent leaves the language as it is; null goes back to following the browser. */
export const updateMeSchema = z.strictObject({
  preferredLanguage: z.enum(UN_LANGUAGES).nullable().optional().meta({ example: 'fr' }),
});
