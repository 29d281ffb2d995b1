import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { currentContext } from './request-context';
import { activeTraceContext } from './tracing/spans';

export type { Logger } from 'pino';

/**
 * One JSON line per log record on stdout, the shape log collectors on Kubernetes expect. The correlation id of
 * the request or message being handled is added to every line, and its W3C trace and span ids under the names
 * OpenTelemetry's log data model uses (`trace_id`, `span_id`), so a log backend links each line to its trace. With
 * tracing on, they are the active OpenTelemetry span's (a query's, a message's), else the request's.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const context = currentContext();
      const trace = activeTraceContext() ?? context?.trace;
      const ids = trace ? { trace_id: trace.traceId, span_id: trace.spanId } : {};
      return context ? { correlationId: context.correlationId, ...ids } : ids;
    },
  });
}

/** Lets Nest's own messages (routes mapped, errors) go through the same logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, message instanceof Error ? message.message : String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
