export * from './workflow-ids';
export * from './search-attributes';
export * from './messages';
export * from './activities';
export * from './refusals';
export * from './activity-options';
export * from './workflow-types';
export * from './assignment';
