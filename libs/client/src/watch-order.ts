import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { CONSISTENCY_TOKEN_HEADER } from './consistency';
import type { components } from './generated/openapi';
import { asProblem, TandemProblem } from './problem';

export type OrderSummary = components['schemas']['OrderSummary'];

export interface WatchOrderOptions {
  /** Resume after this version (the `version` of the last order you showed, e.g. kept across a page reload). */
  afterVersion?: number;
  /** Ends the watch (the iteration then ends without an error). */
  signal?: AbortSignal;
  /** The first delay before reconnecting (default: what the server's `retry:` said, else 2 s), doubling to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Told of each lost connection before the client reconnects (the error, and the version it resumes after). */
  onDisconnect?: (error: unknown, afterVersion: number) => void;
}

/** What `watchOrder` needs of the client: where, as whom, with which fetch, and the last command's token. */
export interface WatchContext {
  baseUrl: string;
  token: () => string | undefined | Promise<string | undefined>;
  fetch: (request: Request) => Promise<Response>;
  consistencyToken: () => string | undefined;
}

/** Answers not worth a reconnect: the request itself is wrong, or not allowed, or the order is not there. */
const FINAL_STATUSES = new Set([400, 401, 403, 404]);

/**
 * `GET /api/orders/{id}/live` as an async iterable of the order's versions, in order, each once. A lost connection
 * (a network drop, a replica restarting, a 429/502/503/504) is reconnected with backoff and `Last-Event-ID`, so no
 * version is missed or repeated across reconnects; a 4xx that a retry cannot mend ends the iteration with a
 * `TandemProblem`. The stream is read with fetch (the bearer token in `Authorization`, which browsers' EventSource
 * cannot send) and parsed with eventsource-parser.
 */
export async function* watchOrderStream(
  context: WatchContext,
  orderId: string,
  options: WatchOrderOptions = {},
): AsyncGenerator<OrderSummary, void, undefined> {
  let version = options.afterVersion ?? 0;
  let serverRetryMs: number | undefined;
  let failures = 0;
  const url = `${context.baseUrl}/api/orders/${encodeURIComponent(orderId)}/live`;
  while (!options.signal?.aborted) {
    const connection = new AbortController();
    const abort = () => connection.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const headers = new Headers({ Accept: 'text/event-stream' });
      const token = await context.token();
      if (token) headers.set('Authorization', `Bearer ${token}`);
      if (version > 0) headers.set('Last-Event-ID', String(version));
      const consistency = context.consistencyToken();
      if (consistency !== undefined) headers.set(CONSISTENCY_TOKEN_HEADER, consistency);
      const response = await context.fetch(new Request(url, { headers, signal: connection.signal }));
      if (!response.ok || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
        const problem = asProblem(await response.json().catch(() => undefined));
        const error = problem
          ? new TandemProblem(problem, response)
          : new Error(`${response.status} ${response.statusText} from ${url} (not an event stream)`);
        if (FINAL_STATUSES.has(response.status)) throw new FinalAnswer(error);
        throw error;
      }
      if (response.body === null) throw new Error(`no body from ${url}`);
      const arrived: EventSourceMessage[] = [];
      const parser = createParser({
        onEvent: (event) => arrived.push(event),
        onRetry: (ms) => (serverRetryMs = ms),
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(value);
        for (const event of arrived.splice(0)) {
          if (event.event !== 'order') continue;
          const order = JSON.parse(event.data) as OrderSummary;
          // The server sends only newer versions; this guards a reconnect racing a late event all the same.
          if (order.version <= version) continue;
          version = order.version;
          failures = 0;
          yield order;
        }
      }
      throw new Error('the stream ended');
    } catch (error) {
      if (error instanceof FinalAnswer) throw error.error;
      if (options.signal?.aborted) return;
      options.onDisconnect?.(error, version);
      failures += 1;
      const first = options.retryMs ?? serverRetryMs ?? 2_000;
      const delay = Math.min(first * 2 ** Math.min(failures - 1, 6), options.maxRetryMs ?? 30_000);
      await sleep(delay, options.signal);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      connection.abort();
    }
  }
}

class FinalAnswer {
  constructor(readonly error: unknown) {}
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
