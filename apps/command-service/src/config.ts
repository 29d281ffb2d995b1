import { z } from 'zod';
import { AuthConfigSchema, DEVELOPMENT_CONSISTENCY_TOKEN_SECRET } from '@tandem/platform/auth/config';
import { TracingConfigSchema, type TracingConfig } from '@tandem/platform/observability';
import {
  boolean,
  developmentSecret,
  integer,
  kafkaBrokers,
  kafkaTopicPrefix,
  loadConfigOrExit,
  logLevel,
  parseConfig,
  port,
  postgresUrl,
} from '@tandem/platform/config';
import { ORDER_TOPIC_V1_DEPRECATION } from '@tandem/contracts';
import { INLINE_MODEL_NAMES, type InlineModelName } from '@tandem/inline-models';

/**
 * The read models applied inline, in each command's transaction (docs/services.md, "Inline or async"): a comma
 * list of `libs/inline-models` names, default all of them; `none` for none.
 */
const inlineModelList = z
  .string()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined || value === 'none') return;
    const seen = new Set<string>();
    for (const name of value.split(',').map((part) => part.trim())) {
      if (!(INLINE_MODEL_NAMES as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown inline model "${name}"; known: ${INLINE_MODEL_NAMES.join(', ')} (or none)`,
        });
      } else if (seen.has(name)) {
        ctx.addIssue({ code: 'custom', message: `names ${name} twice` });
      }
      seen.add(name);
    }
  })
  .transform((value): InlineModelName[] =>
    value === undefined
      ? [...INLINE_MODEL_NAMES]
      : value === 'none'
        ? []
        : [...new Set(value.split(',').map((name) => name.trim() as InlineModelName))],
  );

/**
 * `PUBLISH_V1_UNTIL`: the deprecated `orders.order.v1` is published strictly before this instant. A date
 * (`YYYY-MM-DD`) means the start of that day in UTC; default: the topic's sunset date from the contract.
 */
const publishV1Until = z
  .string()
  .optional()
  .transform((value, ctx): Date => {
    const text = value ?? ORDER_TOPIC_V1_DEPRECATION.sunset;
    const match = /^(\d{4})-(\d{2})-(\d{2})(T.+(Z|[+-]\d{2}:\d{2}))?$/.exec(text);
    const date = new Date(match?.[4] === undefined ? `${text}T00:00:00Z` : text);
    // Date parsing rolls a day the month does not have (February 30th) over: the calendar date must exist.
    const day = match && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    const exists = day?.toISOString().slice(0, 10) === text.slice(0, 10);
    if (!exists || Number.isNaN(date.getTime())) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a date (YYYY-MM-DD, midnight UTC) or an ISO 8601 date-time with its offset',
      });
      return z.NEVER;
    }
    return date;
  });

/**
 * `EVENT_VERSION_WRITTEN`: the version order events are stored in, `2` (their latest, the default) or `1` while a
 * replica of a release that cannot read v2 still runs on the same write DB (docs/services.md).
 */
const eventVersionWritten = z
  .enum(['1', '2'], { message: 'must be 1 or 2' })
  .default('2')
  .transform((value): 1 | 2 => (value === '1' ? 1 : 2));

/** The command service's environment (see docs/services.md). */
export const CommandServiceConfigSchema = z.object({
  ...AuthConfigSchema.shape,
  /** Signs consistency tokens (HMAC); the query service checks them with the same secret. */
  CONSISTENCY_TOKEN_SECRET: developmentSecret({ developmentDefault: DEVELOPMENT_CONSISTENCY_TOKEN_SECRET }),
  PORT: z.pipe(port(3001), z.number()),
  /** Prometheus' port (0: none); never the API's. */
  METRICS_PORT: z.pipe(port(9465), z.number()),
  WRITE_DATABASE_URL: postgresUrl(),
  WRITE_DATABASE_POOL_SIZE: z.pipe(integer({ min: 1, max: 500, default: 20 }), z.number()),
  KAFKA_BROKERS: kafkaBrokers(),
  KAFKA_TOPIC_PREFIX: kafkaTopicPrefix(),
  // Unset: each topic's declared count (libs/contracts/src/topics.ts). Development and tests set fewer.
  TOPIC_PARTITIONS: integer({ min: 1, max: 10_000 }).optional(),
  RELAY_ENABLED: boolean(true),
  /** How long an `Idempotency-Key` is kept: the API promises at least 24 hours. */
  IDEMPOTENCY_KEY_RETENTION_HOURS: z.pipe(integer({ min: 24, max: 8760, default: 25 }), z.number()),
  IDEMPOTENCY_SWEEP_INTERVAL_MS: z.pipe(integer({ min: 100, max: 3_600_000, default: 60_000 }), z.number()),
  /** How long published outbox rows are kept (Kafka keeps every event; the rows are for operators). 7 days. */
  OUTBOX_RETENTION_MINUTES: z.pipe(integer({ min: 1, max: 525_600, default: 10_080 }), z.number()),
  OUTBOX_SWEEP_INTERVAL_MS: z.pipe(integer({ min: 100, max: 3_600_000, default: 60_000 }), z.number()),
  RUN_MIGRATIONS: boolean(true),
  INLINE_PROJECTIONS: inlineModelList,
  EVENT_VERSION_WRITTEN: eventVersionWritten,
  /**
   * How many orders each replica keeps folded between commands (0: none), so that a command reads only its order's
   * events since the last one this replica saw instead of the whole stream. Each costs about an order's lines.
   */
  ORDER_STATE_CACHE_SIZE: z.pipe(integer({ min: 0, max: 1_000_000, default: 10_000 }), z.number()),
  PUBLISH_V1_UNTIL: publishV1Until,
  LOG_LEVEL: logLevel(),
});
export type CommandServiceConfig = z.infer<typeof CommandServiceConfigSchema>;

/**
 * `main.js migrate` needs the database alone, so a migration job does not have to know about Kafka; so does
 * `main.js inline-rebuild <model>`.
 */
export const MigrateConfigSchema = CommandServiceConfigSchema.pick({
  WRITE_DATABASE_URL: true,
  LOG_LEVEL: true,
});
export type MigrateConfig = z.infer<typeof MigrateConfigSchema>;

export const SERVICE_NAME = 'command-service';

export function parseCommandServiceConfig(env: NodeJS.ProcessEnv): CommandServiceConfig {
  return parseConfig(SERVICE_NAME, CommandServiceConfigSchema, env);
}

/** The one place that reads `process.env`: a bad value stops the process with exit code 78, naming the variable. */
export function loadCommandServiceConfig(): CommandServiceConfig {
  return loadConfigOrExit(SERVICE_NAME, CommandServiceConfigSchema, process.env);
}

export function loadMigrateConfig(): MigrateConfig {
  return loadConfigOrExit(SERVICE_NAME, MigrateConfigSchema, process.env);
}

/** The `OTEL_*` variables, read first of all by `tracing.ts` (tracing must start before the rest loads). */
export function loadTracingConfig(): TracingConfig {
  return loadConfigOrExit(SERVICE_NAME, TracingConfigSchema, process.env);
}
