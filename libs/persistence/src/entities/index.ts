import { AssistanceRequestEntity } from './assistance-request.entity';
import { DeliveryActivityEntity } from './delivery-activity.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { MemberStateEntity } from './member-state.entity';
import { REFERENCE_ENTITIES } from './reference';
import { RequestEventEntity } from './request-event.entity';
import { RequestStageStayEntity } from './request-stage-stay.entity';
import { RequestSubmissionEntity } from './request-submission.entity';
import { UserEntity } from './user.entity';

export * from './reference';
export {
  AssistanceRequestEntity,
  DeliveryActivityEntity,
  IdempotencyKeyEntity,
  MemberStateEntity,
  RequestEventEntity,
  RequestStageStayEntity,
  RequestSubmissionEntity,
  UserEntity,
};

export const ENTITIES = [
  AssistanceRequestEntity,
  DeliveryActivityEntity,
  IdempotencyKeyEntity,
  MemberStateEntity,
  RequestEventEntity,
  RequestStageStayEntity,
  RequestSubmissionEntity,
  UserEntity,
  ...REFERENCE_ENTITIES,
];
