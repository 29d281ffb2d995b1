import { randomUUID } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { eventMessage, orderStory, storyMessages } from '@tandem/read/projections';
import { openStream, type StreamUnderTest } from '../test/event-stream-reader';
import { startQueryService, type QueryServiceUnderTest } from '../test/query-service-under-test';

/**
 * The live order streams (Server-Sent Events) over the real projection runtime and read DB: each committed
 * version is sent once, in order, woken by the projection's NOTIFY; a reconnect with Last-Event-ID resumes after
 * it; the caps refuse with 429; 500 streams stay within a stated memory bound.
 */
const customerId = randomUUID();
const versions = (stream: StreamUnderTest) => stream.events.map((event) => Number(event.id));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let service: QueryServiceUnderTest;
let staff: Record<string, string>;
beforeAll(async () => {
  service = await startQueryService('live_streams', {
    // No re-check can answer for a notice: only LISTEN wakes the streams here.
    CONSISTENCY_RECHECK_MS: '60000',
    SSE_MAX_STREAMS_PER_PRINCIPAL: '1000',
    SSE_HEARTBEAT_SECONDS: '1',
  });
  staff = await service.issuer.staffHeaders();
}, 60_000);
afterAll(() => service?.close(), 60_000);

const watch = (orderId: string, headers: Record<string, string> = {}) =>
  openStream(`${service.url}/api/orders/${orderId}/live`, { ...staff, ...headers });

describe('an order stream', () => {
  it('sends each of 50 versions once, in version order, each committed in its own projection transaction; a reconnect with Last-Event-ID resumes without a gap or a duplicate', async () => {
    const orderId = randomUUID();
    const messages = storyMessages(orderStory(orderId, customerId, Array(50).fill('line')));
    await service.project(messages.slice(0, 1));
    let stream = await watch(orderId);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
    await stream.waitFor(1);
    const seen: StreamUnderTest[] = [stream];
    for (let version = 2; version <= 51; version += 1) {
      if (version >= 27 && version <= 31) {
        // Disconnected: versions 27 to 31 commit meanwhile, each in a transaction of its own; the reconnect names
        // the last id it got, and is replayed every one of them from the change log.
        if (version === 27) {
          stream.close();
          await stream.closed;
        }
        await service.project(messages.slice(version - 1, version));
        if (version === 31) {
          stream = await watch(orderId, { 'last-event-id': stream.events.at(-1)?.id ?? '' });
          seen.push(stream);
          await stream.waitFor(5);
        }
        continue;
      }
      await service.project(messages.slice(version - 1, version));
      await stream.waitFor(stream === seen[0] ? version : version - 26);
    }
    await sleep(300);
    expect(versions(seen[0] as StreamUnderTest)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(versions(stream)).toEqual(Array.from({ length: 25 }, (_, i) => i + 27));
    expect(JSON.parse(stream.events.at(-1)?.data ?? '{}')).toMatchObject({
      id: orderId,
      version: 51,
      lineCount: 50,
    });
    expect(stream.events.every((event) => event.event === 'order')).toBe(true);
    stream.close();
  });

  it('sends every version committed while it was not reading, and as one the versions committed together', async () => {
    const orderId = randomUUID();
    const messages = storyMessages(orderStory(orderId, customerId, Array(20).fill('line')));
    await service.project(messages.slice(0, 1));
    const stream = await watch(orderId);
    await stream.waitFor(1);
    // Ten commits in a row, faster than the stream's reads: each is in the change log.
    for (const message of messages.slice(1, 11)) await service.project([message]);
    await stream.waitFor(11);
    // Ten versions in one projection transaction: the read model only ever committed the last.
    await service.project(messages.slice(11, 21));
    await stream.waitFor(12);
    await sleep(300);
    expect(versions(stream)).toEqual([...Array.from({ length: 11 }, (_, i) => i + 1), 21]);
    stream.close();
  });

  it('replays from the change log what a Last-Event-ID names, and starts a new stream at the current row', async () => {
    const orderId = randomUUID();
    // Six versions, each committed on its own, before any stream opens.
    for (const message of storyMessages(orderStory(orderId, customerId, Array(5).fill('line'))))
      await service.project([message]);
    const fresh = await watch(orderId);
    const replayed = await watch(orderId, { 'last-event-id': '2' });
    await fresh.waitFor(1);
    await replayed.waitFor(4);
    await sleep(300);
    expect(versions(fresh)).toEqual([6]);
    expect(versions(replayed)).toEqual([3, 4, 5, 6]);
    fresh.close();
    replayed.close();
  });

  it('never sends a version twice or out of order while commits race its reads', async () => {
    const orderId = randomUUID();
    const messages = storyMessages(orderStory(orderId, customerId, Array(30).fill('line')));
    await service.project(messages.slice(0, 1));
    const stream = await watch(orderId);
    await stream.waitFor(1);
    for (const message of messages.slice(1)) void service.project([message]);
    await service.project([]);
    for (let i = 0; i < 100 && versions(stream).at(-1) !== 31; i += 1) await sleep(50);
    const seen = versions(stream);
    expect(seen.at(-1)).toBe(31);
    expect(seen).toEqual([...new Set(seen)].sort((a, b) => a - b));
    stream.close();
  });

  it('sends nothing a reconnect already had, and heartbeats while idle', async () => {
    const orderId = randomUUID();
    await service.project(storyMessages(orderStory(orderId, customerId, [])));
    const stream = await watch(orderId, { 'last-event-id': '1' });
    await sleep(2_500);
    expect(stream.events).toEqual([]);
    expect(stream.comments).toContain('heartbeat');
    stream.close();
  });

  it('answers an unknown order 404 order.not-found, before any stream opens', async () => {
    const stream = await watch(randomUUID());
    expect(stream.status).toBe(404);
    expect(JSON.parse(stream.body)).toMatchObject({ code: 'order.not-found' });
  });

  it("answers a customer another's order 404, as the GET does, and its own with a stream", async () => {
    const owner = `live-owner-${randomUUID()}`;
    const mine = randomUUID();
    const customer = randomUUID();
    await service.project([
      eventMessage(
        {
          type: 'CustomerRegistered',
          data: { customerId: customer, name: 'C', email: 'c@example.com', currency: 'EUR', creditLimit: 10 },
        },
        { streamVersion: 1, ownerSubject: owner },
      ),
      ...storyMessages(orderStory(mine, customer, [])),
    ]);
    const other = randomUUID();
    await service.project(storyMessages(orderStory(other, customerId, [])));
    const authorization = await service.issuer.authorization({ subject: owner, roles: ['customer'] });
    const refused = await watch(other, { authorization });
    expect(refused.status).toBe(404);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'order.not-found' });
    const own = await watch(mine, { authorization });
    expect(own.status).toBe(200);
    await own.waitFor(1);
    own.close();
  });
});

describe('a list stream', () => {
  it("sends the changes of a customer's own orders from now on, and not another's", async () => {
    const owner = `live-list-${randomUUID()}`;
    const customer = randomUUID();
    await service.project([
      eventMessage(
        {
          type: 'CustomerRegistered',
          data: { customerId: customer, name: 'L', email: 'l@example.com', currency: 'EUR', creditLimit: 10 },
        },
        { streamVersion: 1, ownerSubject: owner },
      ),
    ]);
    const authorization = await service.issuer.authorization({ subject: owner, roles: ['customer'] });
    const stream = await openStream(`${service.url}/api/orders/live`, { authorization });
    expect(stream.status).toBe(200);
    const mine = randomUUID();
    const now = new Date();
    await service.project(storyMessages(orderStory(randomUUID(), customerId, []), now));
    await service.project(storyMessages(orderStory(mine, customer, ['line']), now));
    await stream.waitFor(1);
    await sleep(300);
    expect(stream.events.map((event) => event.id)).toEqual([`${mine}.2`]);
    stream.close();
  });
});

describe('the caps', () => {
  it('refuse a stream over the per-caller or the per-replica cap with 429 live.too-many-streams', async () => {
    const capped = await startQueryService('live_caps', {
      SSE_MAX_STREAMS_PER_PRINCIPAL: '2',
      SSE_MAX_STREAMS: '3',
    });
    try {
      const orderId = randomUUID();
      await capped.project(storyMessages(orderStory(orderId, customerId, [])));
      const as = async (subject: string) => ({
        authorization: await capped.issuer.authorization({ subject, roles: ['staff'] }),
      });
      const url = `${capped.url}/api/orders/${orderId}/live`;
      const first = [await openStream(url, await as('a')), await openStream(url, await as('a'))];
      const over = await openStream(url, await as('a'));
      expect(over.status).toBe(429);
      expect(JSON.parse(over.body)).toMatchObject({ code: 'live.too-many-streams', cap: 'principal' });
      const third = await openStream(url, await as('b'));
      expect(third.status).toBe(200);
      const full = await openStream(url, await as('c'));
      expect(JSON.parse(full.body)).toMatchObject({ code: 'live.too-many-streams', cap: 'replica' });
      first[0]?.close();
      await first[0]?.closed;
      await sleep(100);
      expect((await openStream(url, await as('a'))).status).toBe(200);
    } finally {
      await capped.close();
    }
  }, 30_000);
});

describe('500 streams on one replica', () => {
  it('stay under 32 MB of heap and 64 MB of RSS growth, both ends in this process, and each gets the next change', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const orderId = randomUUID();
    const messages = storyMessages(orderStory(orderId, customerId, Array(20).fill('line')));
    await service.project(messages.slice(0, 20));
    gc();
    const before = process.memoryUsage();
    const streams: StreamUnderTest[] = [];
    for (let i = 0; i < 500; i += 10) {
      streams.push(...(await Promise.all(Array.from({ length: 10 }, () => watch(orderId)))));
    }
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    await service.project(messages.slice(20));
    await Promise.all(streams.map((stream) => stream.waitFor(2)));
    gc();
    const after = process.memoryUsage();
    const heapMb = (after.heapUsed - before.heapUsed) / 2 ** 20;
    const rssMb = (after.rss - before.rss) / 2 ** 20;
    process.stdout.write(
      `500 live streams: heap +${heapMb.toFixed(1)} MB, RSS +${rssMb.toFixed(1)} MB (server and clients together)\n`,
    );
    expect(streams.every((stream) => versions(stream).join() === '20,21')).toBe(true);
    expect(heapMb).toBeLessThan(32);
    expect(rssMb).toBeLessThan(64);
    for (const stream of streams) stream.close();
  }, 60_000);
});
