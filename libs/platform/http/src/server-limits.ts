import type { Server, ServerOptions } from 'node:http';

// Imports nothing but node:http's types: the projection service's early server (open before Nest loads) takes the
// same limits through `@tandem/platform/http/server-limits`.

/**
 * How long an idle kept-alive connection stays open. Load balancers and ingress proxies keep their upstream
 * connections idle for up to 60 s: a server that closed them sooner (Node's default is 5 s) would close one as the
 * proxy reuses it, and the proxy would answer that request with a 502.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * How long a request's line and headers may take to arrive, from its first byte (Node ≥ 18 measures it per
 * request, not per connection: an idle kept-alive connection is not cut by it, `create-http-app.int-spec.ts`
 * proves it). A slow-header client (slowloris) is answered 408 and dropped after this, not held for a minute.
 */
export const HEADERS_TIMEOUT_MS = 10_000;

/**
 * How long the whole request (headers and body) may take to arrive. A 1 MB body over a slow mobile link fits;
 * the answer's time is not counted (a read may wait 10 s for its consistency token after its request arrived).
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/** How often Node checks the two timeouts above (its default, 30 s, would let a slow client stay 40 s). */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * The request line and headers together, at most: larger is answered 431 `request.headers-too-large`. Room for an
 * 8 KB access token (the verifier's own bound) and the usual headers; well below what would cost memory per socket.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/** The same limits as options of `http.createServer`, for a server made before an app exists. */
export const SERVER_LIMIT_OPTIONS: ServerOptions = {
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  maxHeaderSize: MAX_HEADER_BYTES,
};

/**
 * Applies the limits to a server that is not listening yet (Node reads the check interval when it starts
 * listening, the header size per new connection, the timeouts at each check).
 */
export function applyServerLimits(server: Server, limits: ServerOptions = SERVER_LIMIT_OPTIONS): void {
  const all = { ...SERVER_LIMIT_OPTIONS, ...limits };
  server.keepAliveTimeout = all.keepAliveTimeout ?? KEEP_ALIVE_TIMEOUT_MS;
  server.requestTimeout = all.requestTimeout ?? REQUEST_TIMEOUT_MS;
  server.headersTimeout = all.headersTimeout ?? HEADERS_TIMEOUT_MS;
  Object.assign(server, {
    connectionsCheckingInterval: all.connectionsCheckingInterval ?? TIMEOUT_CHECK_INTERVAL_MS,
    maxHeaderSize: all.maxHeaderSize ?? MAX_HEADER_BYTES,
  });
}
