import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { HttpExchangeClient } from './http-exchange';

/**
 * A kept-alive connection the upstream has closed is found out only when the next request is written on it.
 * This server answers the first request on each connection and drops the connection when a second one
 * arrives, as a server whose idle timeout has just fired does.
 */
let server: Server;
let client: HttpExchangeClient;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    let served = 0;
    socket.on('data', (chunk: Buffer) => {
      if (!/ HTTP\/1\.1\r\n/.test(chunk.toString('latin1'))) return; // a body chunk, not a new request
      if (served++ > 0) {
        socket.destroy();
        return;
      }
      socket.write(
        'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok',
      );
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

beforeEach(() => {
  client = new HttpExchangeClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterEach(() => client.close());

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const options = (retryable: boolean) => ({ timeoutMs: 2000, retryable });

describe('HttpExchangeClient on a connection the upstream closed', () => {
  it('sends a retryable request again on a fresh connection', async () => {
    expect((await client.exchange('GET', '/a', {}, undefined, options(true))).status).toBe(200);
    const second = await client.exchange('GET', '/a', {}, undefined, options(true));
    expect(second.status).toBe(200);
    expect(second.body.toString()).toBe('ok');
  });

  it('does not repeat a request that is not safe to repeat', async () => {
    await client.exchange('POST', '/c', {}, '{}', options(false));
    await expect(client.exchange('POST', '/c', {}, '{}', options(false))).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
  });
});
