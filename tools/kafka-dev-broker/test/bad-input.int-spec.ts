import type { Admin } from 'kafkajs';
import { type DevBroker, startDevBroker } from '../src';
import { API } from '../src/protocol/api-keys';
import { UNSUPPORTED_VERSION } from '../src/protocol/error-codes';
import { Reader } from '../src/protocol/reader';
import { Cleanup } from './helpers/cleanup';
import { kafkaClient } from './helpers/kafka';
import { LogCapture } from './helpers/log-capture';
import { RawClient } from './helpers/raw-client';

/** Deterministic pseudo-random bytes (xorshift32), so a failure can be replayed exactly. */
function randomBytes(seed: number, length: number): Buffer {
  let x = seed >>> 0 || 1;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function header(apiKey: number, apiVersion: number, correlationId = 7): Buffer {
  const h = Buffer.alloc(10);
  h.writeInt16BE(apiKey, 0);
  h.writeInt16BE(apiVersion, 2);
  h.writeInt32BE(correlationId, 4);
  h.writeInt16BE(-1, 8); // null client id
  return h;
}

jest.setTimeout(60_000);

describe('bad input from one client', () => {
  let broker: DevBroker;
  let bystander: Admin;
  const logs = new LogCapture();
  const cleanup = new Cleanup();

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, logger: logs.logger });
    // A well-behaved client connected the whole time: every case checks it is still served.
    bystander = cleanup.add(kafkaClient(broker.bootstrap, 'bystander').admin(), (a) => a.disconnect());
    await bystander.connect();
    await bystander.createTopics({ topics: [{ topic: 'bystander-topic' }] });
  });

  afterAll(async () => {
    await cleanup.run();
    await broker.stop();
  });

  async function rawClient(): Promise<RawClient> {
    return cleanup.add(await RawClient.connect(broker.port), (c) => c.close());
  }

  function linesAbout(client: RawClient): string[] {
    return logs.matching(new RegExp(`\\[127\\.0\\.0\\.1:${client.localPort}[\\] ]`));
  }

  async function expectBystanderServed(): Promise<void> {
    await expect(bystander.listTopics()).resolves.toContain('bystander-topic');
  }

  it('closes a connection that sends random bytes, logging it once', async () => {
    // Seed 273 happens to start with a plausible size (4.4 MB), so the broker waits for the rest.
    for (const seed of [1, 42, 273, 2024, 0xdecafbad]) {
      const client = await rawClient();
      client.write(randomBytes(seed, 4096));
      // Random bytes either fail at once (a size out of range, an unknown API) or announce a frame that never
      // completes; the client giving up then is the case a broker sees most.
      const closedByBroker = await Promise.race([
        client.closed.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000)),
      ]);
      if (!closedByBroker) client.socket.end();
      await client.closed;
      await logs.waitFor(new RegExp(`\\[127\\.0\\.0\\.1:${client.localPort}[\\] ]`));
      expect(linesAbout(client)).toHaveLength(1);
      await expectBystanderServed();
    }
    // A random frame body inside a valid size prefix: the header is garbage, never a crash.
    for (const seed of [7, 99, 31337]) {
      const client = await rawClient();
      client.write(frame(randomBytes(seed, 200)));
      await client.closed;
      expect(linesAbout(client)).toHaveLength(1);
      await expectBystanderServed();
    }
  });

  it('refuses a frame whose size prefix is huge, without waiting for it', async () => {
    const client = await rawClient();
    const size = Buffer.alloc(4);
    size.writeInt32BE(0x7fff_ffff);
    client.write(size);
    await client.closed;
    expect(linesAbout(client)).toEqual([
      expect.stringMatching(/request size 2147483647 outside .*closing connection/),
    ]);
    await expectBystanderServed();
  });

  it('closes the connection on an unknown API key', async () => {
    const client = await rawClient();
    client.write(frame(header(999, 0)));
    await client.closed;
    expect(linesAbout(client)).toEqual([expect.stringMatching(/unknown API key 999.*closing connection/)]);
    await expectBystanderServed();
  });

  it('answers an unsupported ApiVersions version with error 35 in the v0 layout and keeps the connection', async () => {
    const client = await rawClient();
    client.write(frame(header(API.ApiVersions, 99, 41)));
    const r = new Reader(await client.nextFrame());
    expect(r.int32()).toBe(41);
    expect(r.int16()).toBe(UNSUPPORTED_VERSION);
    const ranges = r.array((x) => ({ key: x.int16(), min: x.int16(), max: x.int16() }));
    expect(ranges).toContainEqual({ key: API.ApiVersions, min: 0, max: 3 });
    expect(ranges.every((range) => range.min === 0)).toBe(true);
    expect(r.remaining()).toBe(0);
    expect(linesAbout(client)).toEqual([expect.stringMatching(/ApiVersions v99 .*UNSUPPORTED_VERSION/)]);

    // Still open: the retry at a supported version is answered.
    const again = await client.request(API.ApiVersions, 2, () => undefined);
    expect(again.int16()).toBe(0);
    expect(client.isClosed).toBe(false);
    await expectBystanderServed();
  });

  it('closes the connection on an unsupported version of another API', async () => {
    const client = await rawClient();
    client.write(frame(header(API.Metadata, 99)));
    await client.closed;
    expect(linesAbout(client)).toEqual([
      expect.stringMatching(/unsupported version 99 of Metadata .*closing connection/),
    ]);
    await expectBystanderServed();
  });

  it('closes the connection on a request cut short inside its frame', async () => {
    const client = await rawClient();
    // Metadata v1 announcing three topic names but carrying one.
    const body = Buffer.alloc(4 + 2 + 3);
    body.writeInt32BE(3, 0);
    body.writeInt16BE(3, 4);
    body.write('abc', 6);
    client.write(frame(Buffer.concat([header(API.Metadata, 1), body])));
    await client.closed;
    expect(linesAbout(client)).toEqual([
      expect.stringMatching(/malformed Metadata v1 request: truncated.*closing connection/),
    ]);
    await expectBystanderServed();
  });

  it('logs a client that disconnects in the middle of a request', async () => {
    const client = await rawClient();
    const whole = frame(Buffer.concat([header(API.Metadata, 1), Buffer.alloc(40)]));
    client.write(whole.subarray(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectBystanderServed();
    client.socket.end();
    await client.closed;
    await logs.waitFor(
      new RegExp(`\\[127\\.0\\.0\\.1:${client.localPort}\\] connection closed by the client`),
    );
    expect(linesAbout(client)).toHaveLength(1);
    await expectBystanderServed();
  });
});
