import { createRequire } from 'node:module';
import type * as HttpInstrumentationModule from '@opentelemetry/instrumentation-http';
import type * as PgInstrumentationModule from '@opentelemetry/instrumentation-pg';
import type * as SdkNodeModule from '@opentelemetry/sdk-node';
import { tracingEnabled, type TracingConfig } from './tracing-config';

/** A started SDK: `shutdown` exports the spans still buffered. */
export interface Tracing {
  shutdown(): Promise<void>;
}

// Probes and scrapes would be most of the spans of an idle service, and say nothing about a command.
const UNTRACED_PATHS = /^\/(?:health|metrics)(?:[/?]|$)/;

/**
 * Starts the OpenTelemetry SDK with spans for inbound and outbound HTTP and for PostgreSQL queries, exported by
 * OTLP. Call it before anything loads `http` or `pg`, which the instrumentations patch as they are required (each
 * app's `tracing.ts`, imported first by its `main.ts`). Off, it loads nothing: without an endpoint, or with
 * `OTEL_SDK_DISABLED=true`, the SDK's modules are never required and the API stays a no-op.
 *
 * Metrics stay with prom-client on `/metrics` and logs on stdout: the SDK exports traces only.
 */
export function startTracing(service: string, config: TracingConfig): Tracing | undefined {
  if (!tracingEnabled(config)) return undefined;
  // Required here, not imported at the top, so that a service without tracing does not pay for loading them.
  const load = createRequire(__filename);
  const { NodeSDK } = load('@opentelemetry/sdk-node') as typeof SdkNodeModule;
  const { HttpInstrumentation } = load(
    '@opentelemetry/instrumentation-http',
  ) as typeof HttpInstrumentationModule;
  const { PgInstrumentation } = load('@opentelemetry/instrumentation-pg') as typeof PgInstrumentationModule;
  const sdk = new NodeSDK({
    serviceName: config.OTEL_SERVICE_NAME ?? service,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      // A query outside any span is a poll (the relay's, a lease renewal): not worth a trace of its own.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
