export * from './sql';
export * from './delivery-activity.repository';
export * from './email-outbox.repository';
export * from './notification.repository';
export * from './request.repository';
export * from './session.repository';
export * from './user.repository';
export * from './webhook.repository';
