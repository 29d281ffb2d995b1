import type { Server } from 'node:http';
import { connect, type Socket as ServerSocket } from 'node:net';
import { Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import pino from 'pino';
import { createHttpApp } from './create-http-app';

/**
 * Node's HTTP parser refuses some requests before Express sees them. These tests prove that each such refusal is
 * a problem body with a stable code, on a real server and a real socket, and that the connection is then closed.
 */
@Controller()
class EchoController {
  @Post('echo')
  echo(): { ok: true } {
    return { ok: true };
  }

  @Get('fail')
  fail(): never {
    throw new Error('a bug with a secret internal detail');
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

let app: INestApplication;
let port: number;

beforeAll(async () => {
  app = await createHttpApp(EchoModule, pino({ level: 'silent' }));
  await app.listen(0, '127.0.0.1');
  port = (app.getHttpServer().address() as { port: number }).port;
});

afterAll(() => app?.close());

interface RawAnswer {
  statusLine: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/** Writes bytes on a new connection and collects the answer until the server closes it. */
function raw(bytes: string, onConnected?: (socket: ServerSocket) => void): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const server = app.getHttpServer() as Server;
    if (onConnected) server.once('connection', onConnected);
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...headers] = head.split('\r\n');
      const contentType = headers
        .find((h) => h.toLowerCase().startsWith('content-type:'))
        ?.slice(13)
        .trim();
      try {
        resolve({ statusLine, contentType, body: JSON.parse(body) as Record<string, unknown> });
      } catch (error) {
        reject(new Error(`not a JSON answer: ${text.slice(0, 200)}`, { cause: error }));
      }
    });
    if (bytes.length > 0) socket.write(bytes);
  });
}

function expectProblem(answer: RawAnswer, status: number, code: string): void {
  expect(answer.statusLine).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(answer.contentType).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, code, type: `urn:tandem:problem:${code}` });
}

it('answers headers over the limit with 431 request.headers-too-large', async () => {
  const answer = await raw(`GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`);
  expectProblem(answer, 431, 'request.headers-too-large');
});

it('answers a request that is both Content-Length and chunked (smuggling) with 400 request.malformed-http', async () => {
  const answer = await raw(
    'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3\r\n' +
      'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  );
  expectProblem(answer, 400, 'request.malformed-http');
});

it('answers broken chunking with 400 request.malformed-http', async () => {
  const answer = await raw(
    'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
      'zz\r\n{}\r\n0\r\n\r\n',
  );
  expectProblem(answer, 400, 'request.malformed-http');
});

it('answers a request not received in time with 408 request.timeout', async () => {
  // Node raises this after headersTimeout (10 s; create-http-app.int-spec.ts waits for the real one); the same
  // event, raised here at once, is answered by the same handler.
  const answer = await raw('', (socket) => {
    const error = Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    setImmediate(() => (app.getHttpServer() as Server).emit('clientError', error, socket));
  });
  expectProblem(answer, 408, 'request.timeout');
});

it('answers an unexpected error with 500 internal, without its message', async () => {
  const response = await fetch(`http://127.0.0.1:${port}/fail`);
  expect(response.status).toBe(500);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status: 500, code: 'internal', instance: '/fail' });
  expect(JSON.stringify(body)).not.toContain('secret');
});
