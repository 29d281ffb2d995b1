/**
 * The headers that cross the gateway, exactly as docs/services.md lists them. Anything else (cookies, hop-by-hop
 * headers) stays on its side: the owning services see only what they need. `Authorization` crosses unchanged: each
 * service verifies the caller's token itself (ARCHITECTURE decision 11), so none trusts the network.
 */
export const FORWARDED_REQUEST_HEADERS = [
  'authorization',
  'idempotency-key',
  'if-match',
  'if-none-match',
  'x-consistency-token',
  'prefer',
  // What makes a bodiless POST acceptable when it does not say Content-Type: application/json.
  'x-requested-with',
] as const;

/**
 * `X-Correlation-Id` is sent too, but from the request context, so the upstream logs the gateway's own id; so are
 * `traceparent` (naming the gateway's span as the parent) and `tracestate` (unchanged).
 */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

export const RETURNED_RESPONSE_HEADERS = [
  'content-type',
  'location',
  'etag',
  'x-correlation-id',
  'x-data-as-of',
  'x-consistency',
  'preference-applied',
] as const;
