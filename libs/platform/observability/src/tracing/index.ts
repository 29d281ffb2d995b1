export * from './messaging-spans';
export * from './spans';
export * from './start-tracing';
export * from './tracing-config';
