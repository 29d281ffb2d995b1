import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedPortUrl } from '../test/stand-in-service';
import { startGateway, type GatewayUnderTest } from '../test/gateway-under-test';

/**
 * The gateway relays a live stream (Server-Sent Events) as it comes: headers at once, each event as the service
 * writes it (no buffering), Last-Event-ID and the token forwarded, the upstream request aborted when the client
 * goes; a problem answer relayed unchanged; at most SSE_MAX_STREAMS at once. The real gateway, a node:http server
 * standing in for the query service.
 */
const ORDER_ID = '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10';

let upstream: Server;
let streams: Array<{ request: IncomingMessage; response: ServerResponse; closed: Promise<void> }> = [];
let gateway: GatewayUnderTest;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    if (req.url === '/health/live') return void res.writeHead(200).end('{}');
    if (req.url?.includes('/missing-')) {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      return void res.end(
        JSON.stringify({ type: 'urn:x', title: 'No', status: 404, code: 'order.not-found' }),
      );
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    streams.push({ request: req, response: res, closed: new Promise((done) => res.on('close', done)) });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await startGateway({
    COMMAND_SERVICE_URL: await closedPortUrl(),
    QUERY_SERVICE_URL: url,
    PROJECTION_SERVICE_URL: await closedPortUrl(),
    SSE_MAX_STREAMS: '2',
  });
});

afterEach(() => {
  for (const stream of streams) stream.response.destroy();
  streams = [];
});

afterAll(async () => {
  await gateway?.close();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
});

/** Opens a stream through the gateway; `next()` resolves with the next chunk of text that arrives. */
async function open(path: string, headers: Record<string, string> = {}) {
  const authorization = (await gateway.issuer.staffHeaders()).authorization;
  return new Promise<{ incoming: IncomingMessage; next(): Promise<string>; close(): void }>(
    (resolve, reject) => {
      const outgoing = request(`${gateway.url}${path}`, {
        headers: { authorization, ...headers },
        agent: false,
      });
      outgoing.on('error', reject);
      outgoing.on('response', (incoming) => {
        incoming.setEncoding('utf8');
        resolve({
          incoming,
          next: () => new Promise((done) => incoming.once('data', done)),
          close: () => outgoing.destroy(),
        });
      });
      outgoing.end();
    },
  );
}

async function upstreamStream(count: number) {
  for (let i = 0; i < 100 && streams.length < count; i += 1) await new Promise((r) => setTimeout(r, 20));
  const stream = streams[count - 1];
  if (!stream) throw new Error('the stream did not reach the upstream');
  return stream;
}

it('relays each event as the service writes it, with Last-Event-ID and the token forwarded', async () => {
  const client = await open(`/api/orders/${ORDER_ID}/live`, { 'last-event-id': '41' });
  expect(client.incoming.statusCode).toBe(200);
  expect(client.incoming.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(client.incoming.headers['cache-control']).toBe('no-cache');
  const { request: received, response } = await upstreamStream(1);
  expect(received.url).toBe(`/api/orders/${ORDER_ID}/live`);
  expect(received.headers['last-event-id']).toBe('41');
  expect(received.headers['authorization']).toMatch(/^Bearer /);
  for (const version of [42, 43]) {
    const arriving = client.next();
    response.write(`id: ${version}\nevent: order\ndata: {"version":${version}}\n\n`);
    // Arrives while the service's answer is still open: nothing waits for more to send it on.
    expect(await arriving).toBe(`id: ${version}\nevent: order\ndata: {"version":${version}}\n\n`);
  }
  client.close();
});

it('aborts the upstream stream when the client goes', async () => {
  const client = await open('/api/orders/live');
  const stream = await upstreamStream(1);
  client.close();
  await stream.closed;
  expect(stream.response.destroyed || stream.response.writableEnded).toBe(true);
});

it("relays the service's problem answer unchanged", async () => {
  const client = await open(`/api/orders/missing-${ORDER_ID}/live`);
  expect(client.incoming.statusCode).toBe(404);
  expect(JSON.parse(await client.next())).toMatchObject({ code: 'order.not-found' });
});

it('refuses a stream over SSE_MAX_STREAMS with 429 live.too-many-streams, and takes one again once one ends', async () => {
  const first = await open('/api/orders/live');
  const second = await open('/api/orders/live');
  const over = await open('/api/orders/live');
  expect(over.incoming.statusCode).toBe(429);
  expect(JSON.parse(await over.next())).toMatchObject({ code: 'live.too-many-streams', cap: 'replica' });
  first.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const again = await open('/api/orders/live');
  expect(again.incoming.statusCode).toBe(200);
  second.close();
  again.close();
});
