import { connect, type Socket } from 'node:net';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import pino from 'pino';
import { createHttpApp, type HttpAppOptions } from './create-http-app';
import { HEADERS_TIMEOUT_MS, MAX_HEADER_BYTES, TIMEOUT_CHECK_INTERVAL_MS } from './server-limits';

@Controller()
class PingController {
  @Get('ping')
  ping(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function listening(options: HttpAppOptions = {}): Promise<{ app: INestApplication; port: number }> {
  const app = await createHttpApp(PingModule, pino({ level: 'silent' }), options);
  await app.listen(0, '127.0.0.1');
  return { app, port: (app.getHttpServer().address() as { port: number }).port };
}

async function opened(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

/** Sends one request on the socket and resolves with the raw answer's status line. */
function ask(socket: Socket, extraHeaders = ''): Promise<string> {
  if (socket.readableEnded || socket.destroyed)
    return Promise.reject(new Error('the server closed the kept-alive connection'));
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      socket.off('data', onData).off('end', onClosed).off('close', onClosed).off('error', onClosed);
      outcome();
    };
    const onData = (chunk: Buffer) => settle(() => resolve(chunk.toString().split('\r\n')[0] ?? ''));
    const onClosed = () => settle(() => reject(new Error('the server closed the kept-alive connection')));
    socket.on('data', onData).on('end', onClosed).on('close', onClosed).on('error', onClosed);
    socket.write(`GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n${extraHeaders}\r\n`);
  });
}

describe('with the production limits', () => {
  let app: INestApplication;
  let port: number;
  beforeAll(async () => ({ app, port } = await listening()));
  afterAll(() => app?.close());

  it('keeps an idle connection open longer than Node’s default 5 s, as proxies in front expect', async () => {
    const socket = await opened(port);
    try {
      expect(await ask(socket)).toBe('HTTP/1.1 200 OK');
      await sleep(6_000);
      expect(await ask(socket)).toBe('HTTP/1.1 200 OK');
    } finally {
      socket.destroy();
    }
  }, 20_000);

  it('drops 150 slowloris sockets (a header line every 5 s) once the headers timeout passes', async () => {
    const started = Date.now();
    const sockets = await Promise.all(Array.from({ length: 150 }, () => opened(port)));
    const closedAfter = sockets.map(
      (socket) =>
        new Promise<{ ms: number; answer: string }>((resolve) => {
          let answer = '';
          socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
          socket.on('error', () => undefined);
          socket.on('close', () => resolve({ ms: Date.now() - started, answer }));
        }),
    );
    for (const socket of sockets) socket.write('GET /ping HTTP/1.1\r\nHost: localhost\r\n');
    const trickle = setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write(`X-Slow-${Date.now()}: 1\r\n`);
    }, 5_000);
    try {
      const outcomes = await Promise.all(closedAfter);
      const slowest = Math.max(...outcomes.map((o) => o.ms));
      expect(slowest).toBeLessThan(HEADERS_TIMEOUT_MS + 2 * TIMEOUT_CHECK_INTERVAL_MS + 1_000);
      expect(Math.min(...outcomes.map((o) => o.ms))).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 500);
      for (const { answer } of outcomes) {
        expect(answer).toMatch(/^HTTP\/1\.1 408 /);
        expect(answer).toContain('"code":"request.timeout"');
      }
    } finally {
      clearInterval(trickle);
      for (const socket of sockets) socket.destroy();
    }
  }, 30_000);

  it('reads headers up to the limit and answers 431 past it', async () => {
    const socket = await opened(port);
    try {
      expect(await ask(socket, `X-Big: ${'x'.repeat(MAX_HEADER_BYTES - 1024)}\r\n`)).toBe('HTTP/1.1 200 OK');
      expect(await ask(socket, `X-Big: ${'x'.repeat(MAX_HEADER_BYTES)}\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    } finally {
      socket.destroy();
    }
  });
});

describe('the headers timeout counts from a request’s first byte, not from the connection', () => {
  let app: INestApplication;
  let port: number;
  beforeAll(
    async () =>
      ({ app, port } = await listening({
        serverLimits: { headersTimeout: 1_000, requestTimeout: 2_000, connectionsCheckingInterval: 200 },
      })),
  );
  afterAll(() => app?.close());

  it('reuses a kept-alive connection idle for longer than the headers timeout', async () => {
    const socket = await opened(port);
    try {
      expect(await ask(socket)).toBe('HTTP/1.1 200 OK');
      await sleep(2_500);
      expect(await ask(socket)).toBe('HTTP/1.1 200 OK');
    } finally {
      socket.destroy();
    }
  });

  it('closes a connection whose headers do not arrive in time', async () => {
    const socket = await opened(port);
    const started = Date.now();
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    socket.on('error', () => undefined);
    socket.write('GET /ping HTTP/1.1\r\nHost: localhost\r\n');
    // A header line every 300 ms: it keeps sending, but its headers never end.
    const trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 300);
    try {
      expect(await closed).toBeLessThan(1_000 + 2 * 200 + 500);
    } finally {
      clearInterval(trickle);
    }
  });
});
