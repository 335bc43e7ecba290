export * from './stage';
export * from './domain-error';
export * from './request-state';
export * from './decisions';
export * from './deadlines';
export * from './submission';
export * from './taxonomy';
export * from './notifications';
