import { connect, type Socket } from 'node:net';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import pino from 'pino';
import { createHttpApp } from './create-http-app';

@Controller()
class PingController {
  @Get('ping')
  ping(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

let app: INestApplication;
let port: number;

beforeAll(async () => {
  app = await createHttpApp(PingModule, pino({ level: 'silent' }));
  await app.listen(0, '127.0.0.1');
  port = (app.getHttpServer().address() as { port: number }).port;
});

afterAll(() => app?.close());

/** Sends one request on the socket and resolves with the raw answer's status line. */
function ask(socket: Socket): Promise<string> {
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
    socket.write(`GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
  });
}

it('keeps an idle connection open longer than Node’s default 5 s, as proxies in front expect', async () => {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  try {
    expect(await ask(socket)).toBe('HTTP/1.1 200 OK');
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await ask(socket)).toBe('HTTP/1.1 200 OK');
  } finally {
    socket.destroy();
  }
}, 20_000);
