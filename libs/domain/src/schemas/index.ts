export * from './primitives';
export * from './payloads';
export * from './queries';
export * from './issues';
export * from './notifications';
export * from './assignment';
