export * from './sql';
export * from './delivery-activity.repository';
export * from './request.repository';
export * from './session.repository';
export * from './user.repository';
