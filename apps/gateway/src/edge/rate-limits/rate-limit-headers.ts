import type { Response } from 'express';
import { problemOf, ProblemException } from '@tandem/platform/http';
import type { RateLimitDecision } from './rate-limits';

/**
 * The IETF RateLimit header fields, as draft-ietf-httpapi-ratelimit-headers-10 writes them (Structured Field
 * lists, one item per policy that counted the request; the syntax has not changed since -08):
 *   RateLimit-Policy: "ip-reads";q=30000;w=60
 *   RateLimit: "ip-reads";r=29998;t=42
 * `q` is the quota, `w` the window in seconds, `r` what remains of it, `t` the seconds until it is refilled. A
 * request counted by two policies (its IP's and its principal's) carries both items.
 */
export function addRateLimitHeaders(response: Response, decision: RateLimitDecision): void {
  const name = `"${decision.policy}"`;
  response.append('RateLimit-Policy', `${name};q=${decision.limit};w=${decision.windowSeconds}`);
  response.append('RateLimit', `${name};r=${decision.remaining};t=${decision.resetSeconds}`);
}

/** The 429 of a refused request: `rate-limit.exceeded`, with `Retry-After` in seconds (RFC 9110 §10.2.3). */
export function rateLimitExceeded(decision: RateLimitDecision): ProblemException {
  const retryAfter = Math.max(1, decision.resetSeconds);
  return new ProblemException(
    problemOf(
      'rate-limit.exceeded',
      `More than ${decision.limit} requests in ${decision.windowSeconds} s (${decision.policy}); retry in ${retryAfter} s.`,
      { policy: decision.policy, retryAfterSeconds: retryAfter },
    ),
    { 'Retry-After': String(retryAfter) },
  );
}
