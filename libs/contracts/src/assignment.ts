import { defineUpdate } from '@temporalio/workflow';
import type { AssignmentCommand } from '@app/domain';
import type { RequestView } from './messages';

/**
 * patched() id: the request workflow takes assignment decisions (claim, assign, unassign). Marked
 * when a run first takes one, so a history recorded before assignment existed replays unchanged.
 */
export const ASSIGNMENT_PATCH = 'assignment';

/** One Update for the three assignment decisions; its id is the decision id, like every decision. */
export const assignmentUpdate = defineUpdate<RequestView, [AssignmentCommand]>('assignmentUpdate');
