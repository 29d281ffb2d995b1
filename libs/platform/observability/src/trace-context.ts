import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header that tracing systems
 * (OpenTelemetry, Jaeger, Zipkin, cloud tracers) use to join the work of several services into one trace.
 * Each service handling a request is one span: it keeps the caller's trace id, takes a span id of its own, and
 * sends `traceparent` with that span id to whatever it calls (and, through the outbox, with every event).
 */
export interface TraceContext {
  /** 32 lower-case hex digits, not all zero. */
  traceId: string;
  /** This span's id: 16 lower-case hex digits, not all zero. */
  spanId: string;
  /** The caller's span, when the trace came from a caller. */
  parentSpanId?: string;
  /** The `sampled` trace flag, passed on unchanged; a trace started here is sampled. */
  sampled: boolean;
}

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** The caller's span, as a `traceparent` names it. */
export interface RemoteSpan {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

/**
 * Reads a `traceparent` value, or `undefined` when it is absent or invalid (the specification's answer to an
 * invalid header is to start a new trace, not to fail the request).
 */
export function parseTraceparent(value: string | undefined): RemoteSpan | undefined {
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version = '', traceId = '', spanId = '', flags = '', rest] = match;
  // Version ff is forbidden; version 00 has exactly four fields. A later version may add fields after them.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** A new span: a child of `parent` (same trace, the parent's span as its parent), or the root of a new trace. */
export function startSpan(parent?: RemoteSpan): TraceContext {
  const spanId = nonZeroHex(8);
  if (!parent) return { traceId: nonZeroHex(16), spanId, sampled: true };
  return { traceId: parent.traceId, spanId, parentSpanId: parent.spanId, sampled: parent.sampled };
}

/** The `traceparent` value that makes the callee's span a child of `span`. */
export function formatTraceparent(span: Pick<TraceContext, 'traceId' | 'spanId' | 'sampled'>): string {
  return `00-${span.traceId}-${span.spanId}-${span.sampled ? '01' : '00'}`;
}

/**
 * Random bytes for ids, drawn from a pool refilled 4 KiB at a time: one `randomBytes` call per id was ~4% of the
 * gateway's CPU per request (`bench/gateway`), most of it the call's own cost rather than the 8 or 16 bytes.
 */
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

function nonZeroHex(bytes: number): string {
  for (;;) {
    if (poolOffset + bytes > POOL.length) {
      randomFillSync(POOL);
      poolOffset = 0;
    }
    const hex = POOL.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    if (!/^0+$/.test(hex)) return hex;
  }
}
