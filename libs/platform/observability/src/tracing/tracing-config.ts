import { z } from 'zod';
import { httpUrl } from '@tandem/platform/config';

/**
 * The `OTEL_*` variables that decide whether a service traces at all, validated with the rest of its
 * configuration so that a bad endpoint stops the service with a message naming the variable (an empty one is unset, as the specification says). The SDK reads the
 * others itself (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_EXPORTER_OTLP_*_PROTOCOL`, `_HEADERS`,
 * `_TIMEOUT`, `OTEL_BSP_*`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_PROPAGATORS`): they are the standard's, documented
 * there, and only ever read once the tracing below is on.
 */
export const TracingConfigSchema = z.object({
  /** `true` (any case) turns tracing off whatever else is set, as the specification says. */
  OTEL_SDK_DISABLED: z
    .string()
    .optional()
    .transform((value) => value?.trim().toLowerCase() === 'true'),
  /** The collector's base URL (`/v1/traces` is appended); tracing is off when neither endpoint is set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl().optional(),
  /** The full URL spans are posted to, when it is not `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl().optional(),
  /** The `service.name` of every span; default the service's own name. */
  OTEL_SERVICE_NAME: z.string().max(255).optional(),
});
export type TracingConfig = z.infer<typeof TracingConfigSchema>;

/** Tracing is on only with somewhere to send spans, and not disabled. */
export function tracingEnabled(config: TracingConfig): boolean {
  return (
    !config.OTEL_SDK_DISABLED &&
    (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT) !== undefined
  );
}
