import type { Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problemException, type ProblemException } from '@tandem/platform/http';
import {
  currentContext,
  formatTraceparent,
  histogram,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
} from '@tandem/platform/observability';
import {
  CORRELATION_ID_HEADER,
  FORWARDED_REQUEST_HEADERS,
  RETURNED_RESPONSE_HEADERS,
} from './forwarded-headers';
import { HttpExchangeClient, type Exchange } from './http-exchange';

export type UpstreamName = 'command-service' | 'query-service' | 'projection-service';

const upstreamDuration = histogram(
  'gateway_upstream_request_duration_seconds',
  'Time from forwarding a request to an upstream service until its whole answer arrived',
  ['service', 'outcome'],
  [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
);

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD']);
const LIVENESS_TIMEOUT_MS = 2000;

export interface ForwardOptions {
  /** A prefix of the public path that the upstream does not use (`/api` for the projection service). */
  stripPrefix?: string;
}

/**
 * One service behind the gateway. `forward` replays a public request on it (method, path, query string, JSON
 * body, the listed headers) and answers with what it answered (status, body, the listed headers), unchanged.
 * Connections are kept alive and pooled per upstream, so the hot path opens no connection per request.
 */
export class Upstream {
  private readonly client: HttpExchangeClient;

  constructor(
    readonly name: UpstreamName,
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.client = new HttpExchangeClient(baseUrl);
  }

  async forward(request: Request, response: Response, options: ForwardOptions = {}): Promise<void> {
    const path = upstreamPath(request.originalUrl, options.stripPrefix);
    const headers = this.headersFor(request, response);
    let body: string | undefined;
    // The platform's parser has already read and checked the JSON (400 malformed, 413 too large, 415 not JSON);
    // `undefined` means the request had no body, which is forwarded as none.
    if (!METHODS_WITHOUT_BODY.has(request.method) && request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    } else if (request.method === 'POST' && request.headers['content-type'] !== undefined) {
      // A bodiless command's JSON content type is what makes it acceptable (not a CORS simple request): the
      // service behind checks the same rule.
      headers['content-type'] = request.headers['content-type'];
    }
    this.relay(await this.exchange(request.method, path, headers, body), request, response);
  }

  /** Answers the client with an upstream's answer: its status, body and the listed headers, unchanged. */
  relay(answer: Exchange, request: Request, response: Response): void {
    response.status(answer.status);
    for (const name of RETURNED_RESPONSE_HEADERS) {
      const value = answer.headers[name];
      if (typeof value !== 'string') continue;
      // A service that names itself absolutely must not leak its internal address to the public.
      const prefix = this.client.prefix;
      response.setHeader(
        name,
        name === 'location' && value.startsWith(prefix) ? value.slice(prefix.length) : value,
      );
    }
    // `end`, not Express's `send`: send would compute its own ETag and answer 304 by itself.
    if (answer.status === 204 || answer.status === 304 || answer.body.length === 0) response.end();
    else if (answer.headers['content-type']?.startsWith(PROBLEM_CONTENT_TYPE)) {
      response.end(publicProblem(answer.body, request.originalUrl));
    } else response.end(answer.body);
  }

  /**
   * Relays a Server-Sent Events answer as it comes, unbuffered: the headers are sent at once, each chunk as it
   * arrives (piped, so a client that does not read stalls the upstream, which then cuts it), `Last-Event-ID`
   * forwarded; when the client goes, the upstream request is aborted. An answer that is not a stream (a problem) is
   * relayed as `forward` would. Resolves when the stream has ended.
   */
  async stream(request: Request, response: Response): Promise<void> {
    const headers = this.headersFor(request, response);
    const lastEventId = request.header('last-event-id');
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    headers['accept'] = 'text/event-stream';
    const started = process.hrtime.bigint();
    let opened: Awaited<ReturnType<HttpExchangeClient['openStream']>>;
    try {
      opened = await this.client.openStream(upstreamPath(request.originalUrl), headers, this.timeoutMs);
    } catch (error) {
      const failure = this.failureOf(error);
      upstreamDuration.observe({ service: this.name, outcome: failure.problem.code }, elapsed(started));
      throw failure;
    }
    const { request: outgoing, incoming } = opened;
    const status = incoming.statusCode ?? 502;
    upstreamDuration.observe({ service: this.name, outcome: String(status) }, elapsed(started));
    if (status !== 200 || !incoming.headers['content-type']?.startsWith('text/event-stream')) {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      this.relay({ status, headers: incoming.headers, body: Buffer.concat(chunks) }, request, response);
      return;
    }
    response.status(200);
    for (const name of [...RETURNED_RESPONSE_HEADERS, 'cache-control', 'x-accel-buffering'] as const) {
      const value = incoming.headers[name];
      if (typeof value === 'string') response.setHeader(name, value);
    }
    response.flushHeaders();
    await new Promise<void>((resolve) => {
      const end = () => {
        outgoing.destroy();
        if (!response.writableEnded) response.end();
        resolve();
      };
      response.on('close', end);
      incoming.on('end', end);
      incoming.on('error', end);
      incoming.on('close', end);
      incoming.pipe(response, { end: false });
    });
  }

  /**
   * A GET of the gateway's own, on behalf of the caller (its token, correlation id and trace go along, and
   * `headers` besides), answered to the gateway rather than to the client: for a route that composes the answers
   * of several services. Failures are the same 502 and 504 problems as `forward`'s.
   */
  async ask(
    request: Request,
    response: Response,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<Exchange> {
    const sent = this.headersFor(request, response);
    delete sent['x-consistency-token'];
    return this.exchange('GET', path, { ...sent, ...headers }, undefined);
  }

  private headersFor(request: Request, response: Response): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const context = currentContext();
    const correlationId = context?.correlationId ?? response.getHeader(CORRELATION_ID_HEADER);
    if (typeof correlationId === 'string') headers[CORRELATION_ID_HEADER] = correlationId;
    // The upstream's span is a child of the gateway's.
    if (context?.trace) headers[TRACEPARENT_HEADER] = formatTraceparent(context.trace);
    if (context?.traceState) headers[TRACESTATE_HEADER] = context.traceState;
    return headers;
  }

  private async exchange(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Exchange> {
    const started = process.hrtime.bigint();
    let answer: Exchange;
    try {
      answer = await this.client.exchange(method, path, headers, body, {
        timeoutMs: this.timeoutMs,
        retryable: METHODS_WITHOUT_BODY.has(method) || headers['idempotency-key'] !== undefined,
      });
    } catch (error) {
      const failure = this.failureOf(error);
      upstreamDuration.observe({ service: this.name, outcome: failure.problem.code }, elapsed(started));
      throw failure;
    }
    upstreamDuration.observe({ service: this.name, outcome: String(answer.status) }, elapsed(started));
    return answer;
  }

  /** Readiness: the service's liveness probe answers 2xx. */
  async checkLive(): Promise<void> {
    let answer: Exchange;
    try {
      answer = await this.client.exchange('GET', '/health/live', {}, undefined, {
        timeoutMs: LIVENESS_TIMEOUT_MS,
        retryable: true,
      });
    } catch (error) {
      throw new Error(`${this.name} /health/live did not answer${causeOf(error)}`, { cause: error });
    }
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(`${this.name} /health/live answered ${answer.status}`);
    }
  }

  /** Lets go of the pooled connections (at shutdown). */
  close(): void {
    this.client.close();
  }

  private failureOf(error: unknown): ProblemException {
    if (isTimeout(error)) {
      return problemException(
        'upstream.timeout',
        `${this.name} did not answer within ${this.timeoutMs} ms. A command may or may not have been ` +
          'applied: repeat it with the same Idempotency-Key to find out.',
        { service: this.name },
      );
    }
    return problemException('upstream.unavailable', `${this.name} could not be reached${causeOf(error)}.`, {
      service: this.name,
    });
  }
}

/**
 * The upstream path: the public one as the client sent it (query string included), minus `stripPrefix`. A dot
 * segment (`..`, `%2e%2e`) would be collapsed by any URL normaliser on the way (a proxy, a framework) and reach a
 * different route than the one matched here, so it is refused as an unknown route.
 */
export function upstreamPath(originalUrl: string, stripPrefix?: string): string {
  const queryAt = originalUrl.indexOf('?');
  const path = queryAt === -1 ? originalUrl : originalUrl.slice(0, queryAt);
  const query = queryAt === -1 ? '' : originalUrl.slice(queryAt);
  if (path.split('/').some(isDotSegment)) {
    throw problemException('route.not-found', 'Dot segments are not allowed in a path.');
  }
  const routed = stripPrefix && path.startsWith(stripPrefix) ? path.slice(stripPrefix.length) : path;
  return routed + query;
}

/**
 * A service's problem, with `instance` naming the public path the client asked for: a service behind a prefix
 * (the projection service serves `/admin/...` for the public `/api/admin/...`) must not show its internal path.
 */
function publicProblem(body: Buffer | string, publicUrl: string): string {
  const text = body.toString();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return text;
  return JSON.stringify({ ...parsed, instance: publicUrl });
}

function isDotSegment(segment: string): boolean {
  const lowered = segment.toLowerCase().replace(/%2e/g, '.');
  return lowered === '.' || lowered === '..';
}

// Errors are recognised by shape, not `instanceof`: Node's own errors may come from another realm (under jest).
function isTimeout(error: unknown): boolean {
  return propertyOf(error, 'name') === 'TimeoutError';
}

/** The reason a connection failed, for people: ECONNREFUSED, ENOTFOUND, a timeout. */
function causeOf(error: unknown): string {
  if (isTimeout(error)) return ' (timed out)';
  const reason = propertyOf(error, 'code') ?? propertyOf(error, 'message');
  return reason ? ` (${reason})` : '';
}

function propertyOf(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const property: unknown = Reflect.get(value, key);
  return typeof property === 'string' ? property : undefined;
}

function elapsed(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
