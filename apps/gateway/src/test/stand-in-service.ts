import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small real HTTP server standing in for a service behind the gateway. It records every request it receives
 * and answers with a canned response, so a test can prove what the gateway forwarded and what it passed back.
 * It stands in for the other services only; the gateway under test is the real one.
 */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Answer only after this long (to provoke the gateway's timeout). */
  delayMs?: number;
}

export class StandInService {
  readonly received: ReceivedRequest[] = [];
  private answerWith: (request: ReceivedRequest) => CannedAnswer = () => StandInService.ok({});
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    readonly name: string,
    private readonly server: Server,
  ) {}

  static async start(name: string): Promise<StandInService> {
    const server = createServer();
    const service = new StandInService(name, server);
    server.on('request', (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received: ReceivedRequest = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        // The probes are not what the tests are about: answer them without recording.
        if (received.url === '/health/live') {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
          return;
        }
        service.received.push(received);
        const answer = service.answerWith(received);
        const send = () => {
          response.writeHead(answer.status, answer.headers ?? {});
          response.end(answer.body);
        };
        if (answer.delayMs === undefined) send();
        else {
          const timer = setTimeout(() => {
            service.timers.delete(timer);
            send();
          }, answer.delayMs);
          service.timers.add(timer);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return service;
  }

  static ok(body: unknown, status = 200, headers: Record<string, string> = {}): CannedAnswer {
    return {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: JSON.stringify(body),
    };
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(answer: CannedAnswer | ((request: ReceivedRequest) => CannedAnswer)): void {
    this.answerWith = typeof answer === 'function' ? answer : () => answer;
  }

  /** Forget what was received and answer 200 `{}` again. */
  reset(): void {
    this.received.length = 0;
    this.answerWith = () => StandInService.ok({});
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A URL on which nothing listens: a port that was free a moment ago. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
