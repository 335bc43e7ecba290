export * from './sql';
export * from './request.repository';
export * from './session.repository';
export * from './user.repository';
