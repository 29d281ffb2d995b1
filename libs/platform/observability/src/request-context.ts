import { AsyncLocalStorage } from 'node:async_hooks';
import type { TraceContext } from './trace-context';

/** What is known about the request or message being handled, reachable from any code it calls. */
export interface RequestContext {
  correlationId: string;
  causationId?: string;
  /** This service's span of the W3C trace the request belongs to. */
  trace?: TraceContext;
  /** The caller's `tracestate`, passed on unchanged. */
  traceState?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
