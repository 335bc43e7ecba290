export * from './entities';
export * from './data-source-options';
export * from './ensure-database';
export * from './event-chain';
export * from './event-store';
export * from './persistence.module';
export * from './stage-stays';
