import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import {
  activeTraceContext,
  formatTraceparent,
  histogram,
  parseTraceparent,
  runWithContext,
  startSpan,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
} from '@tandem/platform/observability';
import { trace as otel } from '@opentelemetry/api';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
/** W3C Trace Context level 2: the span that answered, so a client can find the trace of its request. */
export const TRACERESPONSE_HEADER = 'traceresponse';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every request runs with a correlation id (the caller's `X-Correlation-Id` when it is sane, else a new one),
 * echoed in the response and carried into logs, downstream calls and the events a command records. It also runs
 * as one span of a W3C trace: the caller's `traceparent` when valid (else a new trace), named in `traceresponse`.
 * With tracing on, that span is the OpenTelemetry HTTP server span (named here after its route); off, its id is
 * made here and only propagated.
 */
export function useRequestTracking(app: INestApplication): void {
  const duration = histogram(
    'http_request_duration_seconds',
    'HTTP request duration by route and status',
    ['method', 'route', 'status'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  app.use((request: Request, response: Response, next: NextFunction) => {
    const given = request.header(CORRELATION_ID_HEADER);
    const correlationId = given && SAFE_ID.test(given) ? given : randomUUID();
    response.setHeader(CORRELATION_ID_HEADER, correlationId);
    const serverSpan = otel.getActiveSpan();
    const trace = activeTraceContext() ?? startSpan(parseTraceparent(request.header(TRACEPARENT_HEADER)));
    response.setHeader(TRACERESPONSE_HEADER, formatTraceparent(trace));
    const traceState = request.header(TRACESTATE_HEADER);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const matched = (request.route as { path?: string } | undefined)?.path;
      const route = matched ?? 'unmatched';
      // The server span ends after 'finish' (on 'close'), so it still takes its route here.
      if (matched !== undefined) {
        serverSpan?.setAttribute('http.route', matched);
        serverSpan?.updateName(`${request.method} ${matched}`);
      }
      duration.observe(
        { method: request.method, route, status: String(response.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    runWithContext({ correlationId, trace, ...(traceState ? { traceState } : {}) }, next);
  });
}
