import { createZodDto } from 'nestjs-zod';
import { ACTIVITY_PAYLOAD_SCHEMAS, decisionId } from '@app/domain';

/** Body of an action on a delivery activity: its payload (one schema, in libs/domain) and an optional decisionId. */
const withDecisionId = {
  decisionId: decisionId.optional().describe('Makes the call safe to retry (see the decisions)'),
};
const P = ACTIVITY_PAYLOAD_SCHEMAS;

export class ReportDeliveredDto extends createZodDto(P.report_delivered.safeExtend(withDecisionId)) {}
export class RescheduleActivityDto extends createZodDto(P.reschedule.safeExtend(withDecisionId)) {}
export class CancelActivityDto extends createZodDto(P.cancel.safeExtend(withDecisionId)) {}
