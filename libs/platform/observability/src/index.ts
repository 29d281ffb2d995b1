// Observability for every service: structured JSON logs, Prometheus metrics and the per-request correlation and W3C trace context.
export * from './logger';
export * from './metrics';
export * from './request-context';
export * from './trace-context';
