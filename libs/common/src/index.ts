export * from './app-config';
export * from './logger';
export * from './config.module';
export * from './network-targets';
