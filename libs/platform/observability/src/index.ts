// Observability for every service: structured JSON logs, Prometheus metrics and the per-request correlation context.
export * from './logger';
export * from './metrics';
export * from './request-context';
