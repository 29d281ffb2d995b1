import { formatTraceparent, parseTraceparent, startSpan } from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('W3C traceparent', () => {
  it('reads a valid header, sampled or not', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      sampled: true,
    });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      sampled: false,
    });
  });

  it('accepts a later version with extra fields, as the specification asks', () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      sampled: true,
    });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['garbage', 'not a traceparent'],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['the forbidden version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with an extra field', `00-${TRACE}-${SPAN}-01-extra`],
  ])('ignores %s (a new trace starts instead)', (_case, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('a child span keeps the trace and the sampled flag, and takes a span id of its own', () => {
    const child = startSpan({ traceId: TRACE, spanId: SPAN, sampled: false });
    expect(child).toEqual({
      traceId: TRACE,
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      parentSpanId: SPAN,
      sampled: false,
    });
    expect(child.spanId).not.toBe(SPAN);
    expect(formatTraceparent(child)).toBe(`00-${TRACE}-${child.spanId}-00`);
  });

  it('a root span starts a new sampled trace whose header reads back', () => {
    const root = startSpan();
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.parentSpanId).toBeUndefined();
    expect(parseTraceparent(formatTraceparent(root))).toEqual({
      traceId: root.traceId,
      spanId: root.spanId,
      sampled: true,
    });
    expect(startSpan().traceId).not.toBe(root.traceId);
  });

  it('draws every id fresh, across refills of its random pool (well past 4 KiB of ids)', () => {
    const spans = Array.from({ length: 2000 }, () => startSpan());
    const traceIds = new Set(spans.map((span) => span.traceId));
    const spanIds = new Set(spans.map((span) => span.spanId));
    expect(traceIds.size).toBe(2000);
    expect(spanIds.size).toBe(2000);
    for (const span of spans) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.traceId).not.toContain(span.spanId);
    }
  });
});
