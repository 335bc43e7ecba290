export * from './primitives';
export * from './payloads';
export * from './submission-payload';
export * from './queries';
export * from './issues';
export * from './notifications';
export * from './assignment';
