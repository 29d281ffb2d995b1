// HTTP plumbing shared by every service: problem+json errors, body limits, validation, health probes, the metrics server.
export * from './problem';
export * from './problem-codes';
export * from './json-inspection';
export * from './problem-details.filter';
export * from './body-parsing';
export * from './zod-validation';
export * from './health.module';
export * from './graceful-shutdown';
export * from './request-tracking';
export * from './create-http-app';
export * from './declared-route';
export * from './route-access';
export * from './metrics-server';
