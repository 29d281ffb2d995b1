import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SERVER_LIMIT_OPTIONS } from '@tandem/platform/http/server-limits';

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** The HTTP server, listening before the application behind it has loaded. */
export interface StartingServer {
  server: Server;
  /** From now on every request goes to `handler`, the Nest application's. */
  handOver(handler: RequestHandler): void;
}

/**
 * Listens at once, with nothing but node:http loaded: loading Nest, TypeORM and kafkajs takes one to several
 * seconds on a busy node, and a liveness probe must not wait for it. Until `handOver`, `/health/live` answers 200,
 * `/health/ready` 503 with the reason, and every other route 503 `service.starting`.
 */
export function listenWhileStarting(port: number, host: string): Promise<StartingServer> {
  let handler: RequestHandler | null = null;
  // The platform's limits from the first connection (slow headers dropped, header size bounded): the app's own
  // server is never used, this one is handed over to it.
  const server = createServer(SERVER_LIMIT_OPTIONS, (request, response) => {
    if (handler) return handler(request, response);
    answerWhileStarting(request, response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, handOver: (next) => (handler = next) });
    });
  });
}

function answerWhileStarting(request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0];
  // The request body, if any, is not needed: drain it so the connection can be reused.
  request.resume();
  if (path === '/health/live') return json(response, 200, 'application/json', { status: 'ok' });
  if (path === '/health/ready') {
    return json(response, 503, 'application/json', {
      status: 'not-ready',
      checks: [{ name: 'projections', status: 'down', error: 'still starting: loading the service' }],
    });
  }
  response.setHeader('Retry-After', '1');
  json(response, 503, 'application/problem+json', {
    type: 'urn:tandem:problem:service.starting',
    title: 'Service starting',
    status: 503,
    detail: 'The projection service is starting; retry in a moment.',
    code: 'service.starting',
  });
}

function json(response: ServerResponse, status: number, contentType: string, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
