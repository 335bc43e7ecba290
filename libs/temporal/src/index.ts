export * from './connection-options';
export * from './webpack-config-hook';
export * from './search-attributes.registration';
