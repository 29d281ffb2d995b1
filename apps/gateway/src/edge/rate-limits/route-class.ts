/**
 * The classes of route each with limits of their own (docs/api.md, "Rate limits"): commands change state and cost
 * a write transaction, reads cost a query (or a wait for a consistency token), admin routes start rebuilds and
 * replays. Health probes are outside every class: the kubelet and the load balancer call them, not clients.
 */
export const ROUTE_CLASSES = ['commands', 'reads', 'admin'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

/** The class of a request by its method and path (without the query), or null for a route outside the limits. */
export function routeClassOf(method: string, path: string): RouteClass | null {
  if (path !== '/api' && !path.startsWith('/api/')) return null;
  if (path === '/api/admin' || path.startsWith('/api/admin/')) return 'admin';
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'reads' : 'commands';
}
