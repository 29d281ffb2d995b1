// The development stack: starts the whole system (embedded Kafka and Postgres where none is given) for `npm start` and e2e tests.
export { startStack, type Stack, type StackOptions } from './stack';
export { freePort } from './free-port';
export { spawnService, type ServiceProcess } from './service-process';
export type { AuthSettings } from './stack-auth';
