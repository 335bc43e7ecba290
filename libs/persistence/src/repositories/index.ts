export * from './sql';
export * from './session.repository';
export * from './user.repository';
