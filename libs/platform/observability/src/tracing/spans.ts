import {
  ROOT_CONTEXT,
  SpanStatusCode,
  TraceFlags,
  context,
  isSpanContextValid,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import { formatTraceparent, parseTraceparent, type TraceContext } from '../trace-context';

/**
 * Spans through `@opentelemetry/api` only: while no SDK is started (tracing off) every call here is the API's
 * no-op, so code that makes spans costs next to nothing and needs no flag of its own.
 */
export function tracer(): Tracer {
  return trace.getTracer('tandem');
}

/** The active OpenTelemetry span, as a `TraceContext`; undefined when none is active (always, with tracing off). */
export function activeTraceContext(): TraceContext | undefined {
  const span = trace.getActiveSpan();
  return span ? traceContextOf(span.spanContext()) : undefined;
}

/** The `traceparent` that makes a callee's (or a consumer's) span a child of `span`; undefined for a no-op span. */
export function traceparentOf(span: Span): string | undefined {
  const of = traceContextOf(span.spanContext());
  return of ? formatTraceparent(of) : undefined;
}

/** A context whose parent is the remote span a stored or received `traceparent` names, else the root context. */
export function contextOfTraceparent(value: string | undefined): Context {
  const remote = parseTraceparent(value);
  if (!remote) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: remote.traceId,
    spanId: remote.spanId,
    traceFlags: remote.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

/** The span context a `traceparent` names, for a link; undefined when it names none. */
export function spanContextOfTraceparent(value: string | undefined): SpanContext | undefined {
  return trace.getSpanContext(contextOfTraceparent(value));
}

/** Ends `span`, marked as failed with the error when there is one. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  span.end();
}

/** Runs `work` in a span of its own, a child of the active one, and ends it when the work settles. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      const value = await work(span);
      endSpan(span);
      return value;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  });
}

/** Runs `work` with `span` active, so that the spans it makes (queries, calls) are its children. */
export function withSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

function traceContextOf(spanContext: SpanContext): TraceContext | undefined {
  if (!isSpanContextValid(spanContext)) return undefined;
  return {
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    sampled: (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
  };
}
export type { Span } from '@opentelemetry/api';
