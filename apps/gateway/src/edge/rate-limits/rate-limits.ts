import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { counter, type Logger } from '@tandem/platform/observability';
import { limitOf, type RateLimitConfig, type RateLimitScope } from './rate-limit-config';
import { ROUTE_CLASSES, type RouteClass } from './route-class';

/** What one request's count says: within the limit or not, and what the headers tell the client. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The policy's name in `RateLimit` and `RateLimit-Policy`: `ip-reads`, `principal-commands`… */
  policy: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until the window ends and the count starts again. */
  resetSeconds: number;
}

interface Policy {
  name: string;
  limit: number;
  shared: RateLimiterAbstract | null;
  local: RateLimiterAbstract;
}

const STORE_TIMEOUT_MS = 250;

/**
 * The gateway's request counts, per client IP and per principal, for each route class (fixed windows of
 * `RATE_LIMIT_WINDOW_SECONDS`), with rate-limiter-flexible. With `REDIS_URL` every gateway replica counts in the
 * same Redis keys (atomic INCR with expiry in one Lua call), so a limit holds for all of them together; without
 * it each replica counts in memory.
 *
 * When Redis does not answer (down, or slower than 250 ms), the request is counted in this replica's memory
 * instead, with the same limit: the limits then hold per replica rather than not at all, and nothing waits for a
 * dead Redis. Each such fallback is counted (`rate_limit_store_failures_total`) and logged at most every 10 s.
 */
export class RateLimits {
  private readonly policies = new Map<string, Policy>();
  private readonly refused = counter('rate_limit_refused_total', 'Requests refused with 429, by policy', [
    'policy',
  ]);
  private readonly storeFailures = counter(
    'rate_limit_store_failures_total',
    'Requests counted in memory because Redis did not answer',
  );
  private lastWarning = 0;

  private constructor(
    readonly config: RateLimitConfig,
    private readonly logger: Logger,
    private readonly redis: Redis | null,
  ) {
    for (const scope of ['ip', 'principal'] as const) {
      for (const routeClass of ROUTE_CLASSES) {
        const limit = limitOf(config, scope, routeClass);
        if (limit === 0) continue;
        const name = `${scope}-${routeClass}`;
        const options = {
          points: limit,
          duration: config.RATE_LIMIT_WINDOW_SECONDS,
          keyPrefix: `${config.RATE_LIMIT_KEY_PREFIX}:${name}`,
        };
        this.policies.set(name, {
          name,
          limit,
          shared: redis
            ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true })
            : null,
          local: new RateLimiterMemory(options),
        });
      }
    }
  }

  /** Connects to Redis when `REDIS_URL` is set (waiting up to 2 s for it; later requests reconnect it). */
  static async open(config: RateLimitConfig, logger: Logger): Promise<RateLimits> {
    if (config.REDIS_URL === undefined) {
      logger.info('rate limits counted in memory, per gateway replica (REDIS_URL is not set)');
      return new RateLimits(config, logger, null);
    }
    // No offline queue: a command while disconnected fails at once (and is counted in memory), never waits.
    const redis = new Redis(config.REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    const limits = new RateLimits(config, logger, redis);
    redis.on('error', (error: Error) => limits.warnEvery(error));
    const ready = await Promise.race([
      new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref()),
    ]);
    if (ready) logger.info('rate limits shared through Redis by every gateway replica');
    else logger.warn('Redis did not answer within 2 s: rate limits counted in memory until it does');
    return limits;
  }

  /** Counts one request of `key` (an IP, a principal) against the policy; null when the policy is off. */
  async consume(
    scope: RateLimitScope,
    routeClass: RouteClass,
    key: string,
  ): Promise<RateLimitDecision | null> {
    const policy = this.policies.get(`${scope}-${routeClass}`);
    if (policy === undefined) return null;
    const result = await this.count(policy, key);
    const decision: RateLimitDecision = {
      allowed: result.consumedPoints <= policy.limit,
      policy: policy.name,
      limit: policy.limit,
      windowSeconds: this.config.RATE_LIMIT_WINDOW_SECONDS,
      remaining: Math.max(0, policy.limit - result.consumedPoints),
      resetSeconds: Math.max(0, Math.ceil(result.msBeforeNext / 1000)),
    };
    if (!decision.allowed) this.refused.inc({ policy: policy.name });
    return decision;
  }

  async close(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  private async count(policy: Policy, key: string): Promise<RateLimiterRes> {
    if (policy.shared !== null) {
      try {
        return await withTimeout(policy.shared.consume(key), STORE_TIMEOUT_MS);
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return outcome;
        this.storeFailures.inc();
        this.warnEvery(outcome);
      }
    }
    try {
      return await policy.local.consume(key);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return outcome;
      throw outcome;
    }
  }

  private warnEvery(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn(
      { err: error },
      'Redis did not answer: rate limits are counted in this replica’s memory until it does',
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
