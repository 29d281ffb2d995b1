// Observability for every service: structured JSON logs, Prometheus metrics, the per-request correlation and W3C
// trace context, and OpenTelemetry traces (off unless an OTLP endpoint is configured).
export * from './logger';
export * from './metrics';
export * from './request-context';
export * from './trace-context';
export * from './tracing';
