import { z } from 'zod';
import { UUID_PATTERN } from './primitives';

/** A user id as issued (users.id, a UUID). */
export const userId = z
  .string()
  .regex(UUID_PATTERN, 'must be a user id (UUID)')
  .meta({ format: 'uuid', example: '5b0c1f4e-8a7d-4c3b-9e21-6f0a2d3c4b5e' });

/** The body of `actions/assign` (besides `decisionId`): the user who works on the request from now on. */
export const assignPayloadSchema = z.strictObject({
  assigneeId: userId.describe(
    "An active officer or supervisor of the body working on the request now (CTED's or UNODC's)",
  ),
});
/** Claim and unassign name nobody: the caller takes the request, or its assignment ends. */
export const noAssigneePayloadSchema = z.strictObject({});

/**
 * `assignee=` in the request list and the work queue: `me`, `unassigned`, or a user id (staff only;
 * a focal point never sees assignment).
 */
export const assigneeFilter = z
  .union([z.enum(['me', 'unassigned']), userId])
  .describe(
    "Whose requests: `me` (assigned to the caller), `unassigned` (nobody of the body working on it holds it), or a user's id. Staff only.",
  )
  .meta({ example: 'me' });
export type AssigneeFilter = z.output<typeof assigneeFilter>;
