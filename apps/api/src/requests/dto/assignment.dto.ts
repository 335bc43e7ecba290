import { createZodDto } from 'nestjs-zod';
import { assignPayloadSchema, decisionId, noAssigneePayloadSchema } from '@app/domain';

const withDecisionId = {
  decisionId: decisionId
    .optional()
    .describe(
      'Client-chosen id making the call safe to retry: an assignment decision with an id you already used on this request is applied once.',
    ),
};

export class AssignDto extends createZodDto(assignPayloadSchema.safeExtend(withDecisionId)) {}
export class ClaimDto extends createZodDto(noAssigneePayloadSchema.safeExtend(withDecisionId)) {}
export class UnassignDto extends createZodDto(noAssigneePayloadSchema.safeExtend(withDecisionId)) {}
