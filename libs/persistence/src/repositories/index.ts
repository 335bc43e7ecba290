import { DeliveryActivityRepository } from './delivery-activity.repository';
import { EmailOutboxRepository } from './email-outbox.repository';
import { NotificationRepository } from './notification.repository';
import { ReferenceDataRepository } from './reference-data.repository';
import { ReportRepository } from './report.repository';
import { RequestRepository } from './request.repository';
import { SessionRepository } from './session.repository';
import { DatabaseProbe } from './sql';
import { UserRepository } from './user.repository';
import { WebhookRepository } from './webhook.repository';

export * from './sql';
export * from './delivery-activity.repository';
export * from './email-outbox.repository';
export * from './notification.repository';
export * from './reference-data.repository';
export * from './report.repository';
export * from './request.repository';
export * from './session.repository';
export * from './user.repository';
export * from './webhook.repository';

/** Every repository: each is built on the data source alone (PersistenceModule provides them all). */
export const REPOSITORIES = [
  DatabaseProbe,
  DeliveryActivityRepository,
  EmailOutboxRepository,
  NotificationRepository,
  ReferenceDataRepository,
  ReportRepository,
  RequestRepository,
  SessionRepository,
  UserRepository,
  WebhookRepository,
] as const;
