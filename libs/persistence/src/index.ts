export * from './entities';
export * from './data-source-options';
export * from './ensure-database';
export * from './event-chain';
export * from './event-store';
export * from './persistence.module';
export * from './storage-refusal';
export * from './shared-activity-claims';
export * from './notification-outbox';
export * from './public-event';
export * from './stage-stays';
export * from './report-read-models';
export * from './repositories';
// The driver's error type, for code that tells storage failures apart without importing TypeORM.
export { QueryFailedError } from 'typeorm';
