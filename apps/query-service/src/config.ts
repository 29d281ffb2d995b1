import { z } from 'zod';
import { AuthConfigSchema, DEVELOPMENT_CONSISTENCY_TOKEN_SECRET } from '@tandem/platform/auth/config';
import { TracingConfigSchema, type TracingConfig } from '@tandem/platform/observability';
import {
  boolean,
  developmentSecret,
  integer,
  loadConfigOrExit,
  logLevel,
  parseConfig,
  port,
  postgresUrl,
} from '@tandem/platform/config';

/**
 * The query service's environment. CURSOR_SECRET signs list cursors (HMAC): every replica must share it, or a
 * cursor issued by one is refused by another; the development default is public, and refused with NODE_ENV=production.
 * INLINE_DATABASE_URL is the read-only way to the inline models (ARCHITECTURE decision 12): a replica of the write
 * DB in production, the write DB itself in development; without it, reads answer them as unknown (null).
 */
export const QueryServiceConfigSchema = z.object({
  ...AuthConfigSchema.shape,
  /** Checks the consistency tokens the command service signs: the same secret as there. */
  CONSISTENCY_TOKEN_SECRET: developmentSecret({ developmentDefault: DEVELOPMENT_CONSISTENCY_TOKEN_SECRET }),
  PORT: z.pipe(port(3002), z.number()),
  /** Prometheus' port (0: none); never the API's. */
  METRICS_PORT: z.pipe(port(9466), z.number()),
  READ_DATABASE_URL: postgresUrl(),
  INLINE_DATABASE_URL: postgresUrl().optional(),
  RUN_MIGRATIONS: boolean(false),
  CURSOR_SECRET: developmentSecret({ developmentDefault: 'tandem-development-cursor-secret' }),
  CONSISTENCY_WAIT_MS: z.pipe(integer({ min: 0, max: 10_000, default: 2_000 }), z.number()),
  /** Reads waiting for a consistency token at once, per replica and per caller; over either, a read does not wait. */
  CONSISTENCY_MAX_WAITS: z.pipe(integer({ min: 0, max: 100_000, default: 2_000 }), z.number()),
  CONSISTENCY_MAX_WAITS_PER_PRINCIPAL: z.pipe(integer({ min: 0, max: 10_000, default: 20 }), z.number()),
  /** How often the waiting streams are read anyway, in case a notification was missed. */
  CONSISTENCY_RECHECK_MS: z.pipe(integer({ min: 100, max: 60_000, default: 1_000 }), z.number()),
  /** Live streams (Server-Sent Events) open at once in this replica, and per caller in it; over either: 429. */
  SSE_MAX_STREAMS: z.pipe(integer({ min: 1, max: 100_000, default: 5_000 }), z.number()),
  SSE_MAX_STREAMS_PER_PRINCIPAL: z.pipe(integer({ min: 1, max: 1_000, default: 10 }), z.number()),
  /** A comment line on a stream idle this long, so that proxies do not close it (most cut at 60 s). */
  SSE_HEARTBEAT_SECONDS: z.pipe(integer({ min: 1, max: 300, default: 15 }), z.number()),
  /** A client this far behind (bytes written, not yet taken by its socket) is disconnected, not buffered for. */
  SSE_MAX_BUFFERED_BYTES: z.pipe(integer({ min: 1_024, max: 16_777_216, default: 262_144 }), z.number()),
  DB_POOL_SIZE: z.pipe(integer({ min: 1, max: 200, default: 20 }), z.number()),
  LOG_LEVEL: logLevel(),
});
export type QueryServiceConfig = z.infer<typeof QueryServiceConfigSchema>;

export const SERVICE_NAME = 'query-service';

/** Parses an environment (tests pass their own); throws a `ConfigError` naming each bad variable. */
export function parseQueryServiceConfig(env: NodeJS.ProcessEnv): QueryServiceConfig {
  return parseConfig(SERVICE_NAME, QueryServiceConfigSchema, env);
}

/** The one place that reads `process.env`: a bad value stops the process with exit code 78, naming the variable. */
export function loadQueryServiceConfig(): QueryServiceConfig {
  return loadConfigOrExit(SERVICE_NAME, QueryServiceConfigSchema, process.env);
}

/** The `OTEL_*` variables, read first of all by `tracing.ts` (tracing must start before the rest loads). */
export function loadTracingConfig(): TracingConfig {
  return loadConfigOrExit(SERVICE_NAME, TracingConfigSchema, process.env);
}
