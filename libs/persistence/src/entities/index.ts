import { AssistanceRequestEntity } from './assistance-request.entity';
import { DeliveredActivityEntity } from './delivered-activity.entity';
import { DeliveryActivityEntity } from './delivery-activity.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { MemberStateEntity } from './member-state.entity';
import { REFERENCE_ENTITIES } from './reference';
import { RequestEventEntity } from './request-event.entity';
import { RequestEventFactEntity } from './request-event-fact.entity';
import { RequestReferralEntity } from './request-referral.entity';
import { RequestStageStayEntity } from './request-stage-stay.entity';
import { RequestSubmissionEntity } from './request-submission.entity';
import { SharedActivityClaimEntity } from './shared-activity-claim.entity';
import { UserEntity } from './user.entity';
import { NotificationEntity } from './notification.entity';
import { EmailOutboxEntity } from './email-outbox.entity';
import { NotificationPreferenceEntity } from './notification-preference.entity';
import { WebhookDeliveryAttemptEntity, WebhookDeliveryEntity, WebhookSubscriptionEntity } from './webhook.entity';
import { UserSessionEntity } from './user-session.entity';

export * from './reference';
export {
  AssistanceRequestEntity,
  DeliveredActivityEntity,
  DeliveryActivityEntity,
  IdempotencyKeyEntity,
  MemberStateEntity,
  RequestEventEntity,
  RequestEventFactEntity,
  RequestReferralEntity,
  RequestStageStayEntity,
  RequestSubmissionEntity,
  SharedActivityClaimEntity,
  UserEntity,
  NotificationEntity,
  EmailOutboxEntity,
  NotificationPreferenceEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  UserSessionEntity,
};

export const ENTITIES = [
  AssistanceRequestEntity,
  DeliveredActivityEntity,
  DeliveryActivityEntity,
  IdempotencyKeyEntity,
  MemberStateEntity,
  RequestEventEntity,
  RequestEventFactEntity,
  RequestReferralEntity,
  RequestStageStayEntity,
  RequestSubmissionEntity,
  SharedActivityClaimEntity,
  UserEntity,
  NotificationEntity,
  EmailOutboxEntity,
  NotificationPreferenceEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  UserSessionEntity,
  ...REFERENCE_ENTITIES,
];
