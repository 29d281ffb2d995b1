import { z } from 'zod';
import { integer } from '@tandem/platform/config';
import type { RouteClass } from './route-class';

const limit = (fallback: number) =>
  z.pipe(integer({ min: 0, max: 10_000_000, default: fallback }), z.number());

function redisUrl() {
  return z.string().superRefine((value, ctx) => {
    try {
      const url = new URL(value);
      if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
        ctx.addIssue({ code: 'custom', message: 'must be a redis:// or rediss:// URL' });
      }
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a URL (expected redis://host:6379)' });
    }
  });
}

/**
 * The gateway's rate limits (docs/services.md): requests per window, per client IP (before authentication) and
 * per principal (after it), for each route class; 0 turns one off. With `REDIS_URL` the counts are shared by
 * every gateway replica; without it each replica counts alone.
 */
export const RateLimitConfigSchema = z.object({
  REDIS_URL: redisUrl().optional(),
  RATE_LIMIT_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,100}$/, 'must be letters, digits, colons, dots, dashes or underscores')
    .default('tandem:rate-limit'),
  RATE_LIMIT_WINDOW_SECONDS: z.pipe(integer({ min: 1, max: 86_400, default: 60 }), z.number()),
  // Per address: generous, since many users can share one (a NAT, a corporate proxy); it stops floods, above all
  // of requests without a valid token. Per principal: what one user's clients can reasonably need.
  RATE_LIMIT_IP_COMMANDS: limit(6000),
  RATE_LIMIT_IP_READS: limit(30_000),
  RATE_LIMIT_IP_ADMIN: limit(600),
  RATE_LIMIT_PRINCIPAL_COMMANDS: limit(1200),
  RATE_LIMIT_PRINCIPAL_READS: limit(6000),
  RATE_LIMIT_PRINCIPAL_ADMIN: limit(300),
  /** How many proxies in front set `X-Forwarded-For` (the ingress: 1); 0 trusts none and uses the socket's peer. */
  TRUST_PROXY_HOPS: z.pipe(integer({ min: 0, max: 10, default: 0 }), z.number()),
});
export type RateLimitConfig = z.infer<typeof RateLimitConfigSchema>;

export type RateLimitScope = 'ip' | 'principal';

/** The configured limit of a scope and class (0: none). */
export function limitOf(config: RateLimitConfig, scope: RateLimitScope, routeClass: RouteClass): number {
  const limits: Record<RateLimitScope, Record<RouteClass, number>> = {
    ip: {
      commands: config.RATE_LIMIT_IP_COMMANDS,
      reads: config.RATE_LIMIT_IP_READS,
      admin: config.RATE_LIMIT_IP_ADMIN,
    },
    principal: {
      commands: config.RATE_LIMIT_PRINCIPAL_COMMANDS,
      reads: config.RATE_LIMIT_PRINCIPAL_READS,
      admin: config.RATE_LIMIT_PRINCIPAL_ADMIN,
    },
  };
  return limits[scope][routeClass];
}
