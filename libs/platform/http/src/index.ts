// HTTP plumbing shared by every service: problem+json errors, body limits, validation, health probes, metrics.
export * from './problem';
export * from './problem-codes';
export * from './json-inspection';
export * from './problem-details.filter';
export * from './body-parsing';
export * from './zod-validation';
export * from './health.module';
export * from './graceful-shutdown';
export * from './metrics.controller';
export * from './request-tracking';
export * from './create-http-app';
export * from './declared-route';
