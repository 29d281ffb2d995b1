import type { ReadinessCheck } from '@tandem/platform/http';
import type { Upstreams } from '../upstream/upstreams';

/**
 * The gateway is ready when each service it fronts is alive. It asks for their liveness, not their readiness:
 * a service that is up but waiting on its database answers the gateway's callers with its own problem, and
 * chaining readiness would take the whole API out of rotation for one slow dependency.
 */
export function upstreamReadinessChecks(upstreams: Upstreams): ReadinessCheck[] {
  return upstreams.all().map((upstream) => ({ name: upstream.name, check: () => upstream.checkLive() }));
}
