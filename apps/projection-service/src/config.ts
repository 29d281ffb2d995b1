import { z } from 'zod';
import { AuthConfigSchema } from '@tandem/platform/auth/config';
import { TracingConfigSchema, type TracingConfig } from '@tandem/platform/observability';
import {
  boolean,
  httpUrl,
  integer,
  kafkaBrokers,
  kafkaTopicPrefix,
  loadConfigOrExit,
  logLevel,
  parseConfig,
  port,
  postgresUrl,
} from '@tandem/platform/config';
import { PROJECTION_NAMES } from '@tandem/read/models';

const projectionList = z
  .string()
  .optional()
  .transform((value) =>
    value === undefined
      ? [...PROJECTION_NAMES]
      : value
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name.length > 0),
  )
  .superRefine((names, ctx) => {
    for (const name of names) {
      if (!(PROJECTION_NAMES as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown projection "${name}"; known: ${PROJECTION_NAMES.join(', ')}`,
        });
      }
    }
  });

/**
 * The projection service's environment. Consumer groups are `<KAFKA_GROUP_PREFIX>.<projection>.<its topics>`
 * (`consumerGroupOf`).
 */
export const ProjectionServiceConfigSchema = z
  .object({
    ...AuthConfigSchema.shape,
    PORT: z.pipe(port(3003), z.number()),
    /** Prometheus' port (0: none); never the API's. */
    METRICS_PORT: z.pipe(port(9467), z.number()),
    READ_DATABASE_URL: postgresUrl(),
    KAFKA_BROKERS: kafkaBrokers(),
    RUN_MIGRATIONS: boolean(true),
    KAFKA_TOPIC_PREFIX: kafkaTopicPrefix(),
    // Unset: each topic's declared count (libs/contracts/src/topics.ts). Development and tests set fewer.
    TOPIC_PARTITIONS: integer({ min: 1, max: 1000 }).optional(),
    PROJECTIONS: projectionList,
    KAFKA_GROUP_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be letters, digits, dots, dashes')
      .default('tandem.projection'),
    STALL_AFTER_MS: z.pipe(integer({ min: 1000, max: 3_600_000, default: 30_000 }), z.number()),
    // Consumer-group liveness (docs/services.md, "Restart after a crash"): a crashed member holds its partitions
    // until the broker has missed its heartbeats for the session timeout, so that is how long a restart waits.
    KAFKA_SESSION_TIMEOUT_MS: z.pipe(integer({ min: 1000, max: 300_000, default: 6_000 }), z.number()),
    KAFKA_HEARTBEAT_INTERVAL_MS: z.pipe(integer({ min: 100, max: 100_000, default: 1_000 }), z.number()),
    KAFKA_REBALANCE_TIMEOUT_MS: z.pipe(integer({ min: 1000, max: 600_000, default: 30_000 }), z.number()),
    // Applied offsets go to Kafka at most this often (the checkpoints, not the offsets, make a batch apply once).
    KAFKA_OFFSET_COMMIT_INTERVAL_MS: z.pipe(integer({ min: 0, max: 60_000, default: 500 }), z.number()),
    LOG_LEVEL: logLevel(),
  })
  .superRefine((config, ctx) => {
    // Kafka's advice: at most a third of the session, so that two lost heartbeats do not evict a live member.
    if (config.KAFKA_HEARTBEAT_INTERVAL_MS * 3 > config.KAFKA_SESSION_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_HEARTBEAT_INTERVAL_MS'],
        message: `must be at most a third of KAFKA_SESSION_TIMEOUT_MS (${config.KAFKA_SESSION_TIMEOUT_MS})`,
      });
    }
    if (config.KAFKA_REBALANCE_TIMEOUT_MS < config.KAFKA_SESSION_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_REBALANCE_TIMEOUT_MS'],
        message: `must be at least KAFKA_SESSION_TIMEOUT_MS (${config.KAFKA_SESSION_TIMEOUT_MS})`,
      });
    }
  });
export type ProjectionServiceConfig = z.infer<typeof ProjectionServiceConfigSchema>;

export const SERVICE_NAME = 'projection-service';

/** Parses an environment (tests pass their own); throws a `ConfigError` naming each bad variable. */
export function parseProjectionServiceConfig(env: NodeJS.ProcessEnv): ProjectionServiceConfig {
  return parseConfig(SERVICE_NAME, ProjectionServiceConfigSchema, env);
}

/** The one place that reads `process.env`: a bad value stops the process with exit code 78, naming the variable. */
export function loadProjectionServiceConfig(): ProjectionServiceConfig {
  return loadConfigOrExit(SERVICE_NAME, ProjectionServiceConfigSchema, process.env);
}

/** `main.js migrate`: the read DB and nothing else (no Kafka, no issuer: it serves no request). */
export const MigrateConfigSchema = z.object({
  READ_DATABASE_URL: postgresUrl(),
  LOG_LEVEL: logLevel(),
});
export type MigrateConfig = z.infer<typeof MigrateConfigSchema>;

export function loadMigrateConfig(): MigrateConfig {
  return loadConfigOrExit(SERVICE_NAME, MigrateConfigSchema, process.env);
}

/** `npm run projection:rebuild -- <name>` asks a running projection service; this is where it is. */
export const RebuildCliConfigSchema = z.object({
  PROJECTION_SERVICE_URL: httpUrl().default('http://127.0.0.1:3003'),
  /** An admin's access token (in development: `npm run token -- --user admin1`). */
  ACCESS_TOKEN: z.string().min(1, 'must be an admin access token (npm run token -- --user admin1)'),
});

export function loadRebuildCliConfig(): z.infer<typeof RebuildCliConfigSchema> {
  return loadConfigOrExit('projection:rebuild', RebuildCliConfigSchema, process.env);
}

/** The `OTEL_*` variables, read first of all by `tracing.ts` (tracing must start before the rest loads). */
export function loadTracingConfig(): TracingConfig {
  return loadConfigOrExit(SERVICE_NAME, TracingConfigSchema, process.env);
}
