import { z } from 'zod';
import { AuthConfigSchema } from '@tandem/platform/auth/config';
import { TracingConfigSchema, type TracingConfig } from '@tandem/platform/observability';
import { httpUrl, integer, loadConfigOrExit, logLevel, parseConfig, port } from '@tandem/platform/config';
import { originList } from './edge/cors';
import { RateLimitConfigSchema } from './edge/rate-limits/rate-limit-config';

/**
 * The gateway's environment: where the three services it fronts live, and how long it waits for them. Reads may
 * legitimately wait up to 10 s for read-your-writes (`Prefer: wait=10`), so the default timeout leaves headroom.
 */
// `port()` and `integer()` with a default are typed `number | undefined`; the pipe states the default applied.
export const GatewayConfigSchema = z.object({
  ...AuthConfigSchema.shape,
  PORT: z.pipe(port(3000), z.number()),
  /** Prometheus' port (0: none); never the API's. */
  METRICS_PORT: z.pipe(port(9464), z.number()),
  COMMAND_SERVICE_URL: httpUrl(),
  QUERY_SERVICE_URL: httpUrl(),
  PROJECTION_SERVICE_URL: httpUrl(),
  UPSTREAM_TIMEOUT_MS: z.pipe(integer({ min: 100, max: 300_000, default: 15_000 }), z.number()),
  /** Live streams (Server-Sent Events) this replica relays at once; over it, 429 `live.too-many-streams`. */
  SSE_MAX_STREAMS: z.pipe(integer({ min: 1, max: 100_000, default: 10_000 }), z.number()),
  LOG_LEVEL: logLevel(),
  /** Browsers' origins allowed to call the API (CORS), exact; none by default. */
  CORS_ALLOWED_ORIGINS: originList(),
  ...RateLimitConfigSchema.shape,
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

export const SERVICE_NAME = 'gateway';

/** Parses an environment (tests pass their own); throws a `ConfigError` naming each bad variable. */
export function parseGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  return parseConfig(SERVICE_NAME, GatewayConfigSchema, env);
}

/** The one place that reads `process.env`: a bad value stops the process with exit code 78, naming the variable. */
export function loadGatewayConfig(): GatewayConfig {
  return loadConfigOrExit(SERVICE_NAME, GatewayConfigSchema, process.env);
}

/** The `OTEL_*` variables, read first of all by `tracing.ts` (tracing must start before the rest loads). */
export function loadTracingConfig(): TracingConfig {
  return loadConfigOrExit(SERVICE_NAME, TracingConfigSchema, process.env);
}
