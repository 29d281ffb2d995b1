import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The upstream did not send its whole answer in time. */
export class UpstreamTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * A keep-alive HTTP client for one upstream origin, on `node:http` rather than the global fetch: on the command
 * hot path fetch cost several times more CPU per request (measured ~1.9k vs ~11k forwarded requests/s on a
 * two-core machine), and the gateway must add little to what the command service can do.
 */
export class HttpExchangeClient {
  private readonly base: URL;
  private readonly basePath: string;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(baseUrl: string) {
    this.base = new URL(baseUrl);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    const tls = this.base.protocol === 'https:';
    this.agent = tls ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.send = tls ? httpsRequest : httpRequest;
  }

  /** The origin and base path, as a public `Location` must not show them. */
  get prefix(): string {
    return this.base.origin + this.basePath;
  }

  /**
   * One request and its whole answer within `timeoutMs`. A reset on a reused keep-alive connection before any
   * answer usually means the upstream had just closed it idle, but could also be a crash mid-request: the
   * request is sent once more only when repeating it is safe (`retryable`: a read, or an idempotency key).
   */
  async exchange(
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body: string | undefined,
    options: { timeoutMs: number; retryable: boolean },
  ): Promise<Exchange> {
    try {
      return await this.once(method, path, headers, body, options.timeoutMs);
    } catch (error) {
      if (error instanceof StaleConnectionError) {
        if (options.retryable) return this.once(method, path, headers, body, options.timeoutMs);
        throw error.original;
      }
      throw error;
    }
  }

  /**
   * A GET whose answer is a stream (Server-Sent Events): resolves when its status and headers arrive, within
   * `timeoutMs`; its body is then read as it comes, with no time limit. Its own connection, not the pool's: a
   * stream holds it for as long as it lasts. `request.destroy()` ends it.
   */
  openStream(
    path: string,
    headers: OutgoingHttpHeaders,
    timeoutMs: number,
  ): Promise<{ request: ClientRequest; incoming: IncomingMessage }> {
    return new Promise((resolve, reject) => {
      const outgoing = this.send({
        protocol: this.base.protocol,
        hostname: this.base.hostname,
        port: this.base.port,
        path: this.basePath + path,
        method: 'GET',
        headers,
        agent: false,
      });
      const timer = setTimeout(
        () => outgoing.destroy(new UpstreamTimeoutError(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      outgoing.on('response', (incoming) => {
        clearTimeout(timer);
        resolve({ request: outgoing, incoming });
      });
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private once(
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body: string | undefined,
    timeoutMs: number,
  ): Promise<Exchange> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const outgoing = this.send(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port,
          path: this.basePath + path,
          method,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
          agent: this.agent,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            settle(() =>
              resolve({
                status: incoming.statusCode ?? 502,
                headers: incoming.headers,
                body: Buffer.concat(chunks),
              }),
            ),
          );
          incoming.on('error', (error) => settle(() => reject(error)));
          incoming.on('close', () => {
            if (!incoming.complete) settle(() => reject(new Error('the connection closed mid-answer')));
          });
        },
      );
      const timer = setTimeout(
        () => outgoing.destroy(new UpstreamTimeoutError(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        const stale = outgoing.reusedSocket && error.code === 'ECONNRESET' && !settled;
        settle(() => reject(stale ? new StaleConnectionError(error) : error));
      });
      outgoing.end(body);
    });
  }
}

class StaleConnectionError extends Error {
  constructor(readonly original: Error) {
    super(original.message, { cause: original });
  }
}
