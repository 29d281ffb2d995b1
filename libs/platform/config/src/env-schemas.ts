import { z } from 'zod';

/** Building blocks for service configuration schemas: each turns one environment string into a typed value. */

export function postgresUrl() {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'is not a URL (expected postgres://user:password@host:5432/database)',
      });
      return;
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      ctx.addIssue({
        code: 'custom',
        message: `must use postgres:// or postgresql://, not ${url.protocol}//`,
      });
    } else if (!url.hostname) {
      ctx.addIssue({ code: 'custom', message: 'has no host' });
    } else if (url.pathname.length <= 1) {
      ctx.addIssue({ code: 'custom', message: 'names no database (postgres://host:5432/<database>)' });
    }
  });
}

/** A comma-separated list of host:port pairs. */
export function kafkaBrokers() {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .superRefine((brokers, ctx) => {
      if (brokers.length === 0) ctx.addIssue({ code: 'custom', message: 'lists no broker' });
      for (const broker of brokers) {
        const match = /^([A-Za-z0-9.[\]:-]+):(\d{1,5})$/.exec(broker);
        if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
          ctx.addIssue({ code: 'custom', message: `"${broker}" is not host:port` });
        }
      }
    });
}

/**
 * Put before every topic name this service reads or writes, so that several environments (or test runs) can share
 * one cluster: `staging.` makes `staging.orders.order.v1`. Empty by default: the contract's names as they are.
 */
export function kafkaTopicPrefix() {
  return z
    .string()
    .regex(/^[A-Za-z0-9._-]{0,100}$/, 'must be at most 100 letters, digits, dots, underscores or dashes')
    .default('');
}

export function integer(options: { min?: number; max?: number; default?: number } = {}) {
  const schema = z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(options.min ?? Number.MIN_SAFE_INTEGER)
        .max(options.max ?? Number.MAX_SAFE_INTEGER),
    );
  const fallback = options.default;
  if (fallback === undefined) return schema;
  // Typed as number (not number | undefined) because the default fills every gap.
  return schema.optional().transform((v): number => v ?? fallback);
}

export function port(defaultPort?: number) {
  return integer({ min: 0, max: 65535, ...(defaultPort === undefined ? {} : { default: defaultPort }) });
}

export function boolean(defaultValue: boolean) {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? defaultValue : v === 'true' || v === '1' || v === 'yes'));
}

export function httpUrl() {
  return z.string().superRefine((value, ctx) => {
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
      }
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a URL' });
    }
  });
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export function logLevel() {
  return z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info');
}
