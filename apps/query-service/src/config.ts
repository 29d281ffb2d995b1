import { z } from 'zod';
import { AuthConfigSchema, DEVELOPMENT_CONSISTENCY_TOKEN_SECRET } from '@tandem/platform/auth/config';
import { TracingConfigSchema, type TracingConfig } from '@tandem/platform/observability';
import {
  boolean,
  integer,
  loadConfigOrExit,
  logLevel,
  parseConfig,
  port,
  postgresUrl,
} from '@tandem/platform/config';

/**
 * The query service's environment. CURSOR_SECRET signs list cursors (HMAC): every replica must share it, or a
 * cursor issued by one is refused by another; the development default is public, so set it in production.
 * INLINE_DATABASE_URL is the read-only way to the inline models (ARCHITECTURE decision 12): a replica of the write
 * DB in production, the write DB itself in development; without it, reads answer them as unknown (null).
 */
export const QueryServiceConfigSchema = z.object({
  ...AuthConfigSchema.shape,
  /** Checks the consistency tokens the command service signs: the same secret as there. */
  CONSISTENCY_TOKEN_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(DEVELOPMENT_CONSISTENCY_TOKEN_SECRET),
  PORT: z.pipe(port(3002), z.number()),
  READ_DATABASE_URL: postgresUrl(),
  INLINE_DATABASE_URL: postgresUrl().optional(),
  RUN_MIGRATIONS: boolean(false),
  CURSOR_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default('tandem-development-cursor-secret'),
  CONSISTENCY_WAIT_MS: z.pipe(integer({ min: 0, max: 10_000, default: 2_000 }), z.number()),
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
