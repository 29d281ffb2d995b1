import { randomUUID } from 'node:crypto';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { createTandemClient, isProblem, type OrderSummary, type TandemClient } from '@tandem/client';
import { startE2eStack, type E2eStack } from './support';

/**
 * Live updates end to end (issue 15, must-show 2): the typed client's `watchOrder()` over Server-Sent Events through
 * the gateway, from the query service, woken by the projection's NOTIFY. customer1 watches its order through 50
 * changes and sees each version once, in order; its connection is cut in the middle and `watchOrder` resumes with
 * Last-Event-ID, missing nothing (five changes committed while it was away) and repeating nothing. customer1 watching
 * customer2's order is refused 404, exactly as a missing order is.
 *
 * Each change is made once the previous one was seen: so each version reaches the read model in a projection
 * transaction of its own, and the stream, which shows each state the read model had, shows every one. (Versions
 * committed together are coalesced into the latest; live-order-streams.int-spec.ts proves that case.)
 */
let e2e: E2eStack;
let customer1: TandemClient;
let cut: () => void = () => undefined;
/** Held while the test keeps the client away: its reconnect waits for it. */
let away: Promise<void> = Promise.resolve();

const register = (client: TandemClient, user: string) =>
  client.command((header) =>
    client.api.POST('/api/customers', {
      params: { header },
      body: { name: user, email: `${user}@example.com`, currency: 'EUR', creditLimit: 1_000_000 },
    }),
  );
const createOrder = (client: TandemClient, customerId: string) =>
  client.command((header) => client.api.POST('/api/orders', { params: { header }, body: { customerId } }));
const addLine = (client: TandemClient, id: string, n: number) =>
  client.command((header) =>
    client.api.POST('/api/orders/{id}/lines', {
      params: { header, path: { id } },
      body: { sku: `SKU-${n}`, quantity: 1, unitPrice: 100 },
    }),
  );

beforeAll(async () => {
  e2e = await startE2eStack('live_orders');
  // customer1's client on a fetch the test can cut: the connection drops as a network would drop it.
  customer1 = createTandemClient({
    baseUrl: e2e.stack.gatewayUrl,
    token: () => e2e.stack.tokenFor('customer1'),
    fetch: async (request) => {
      if (request.headers.get('accept') !== 'text/event-stream') return fetch(request);
      await away;
      const connection = new AbortController();
      cut = () => connection.abort(new Error('cut by the test'));
      return fetch(request, { signal: AbortSignal.any([request.signal, connection.signal]) });
    },
  });
}, 150_000);

afterAll(() => e2e?.stop(), 60_000);

/** Waits until `seen` holds `version`, or fails after `ms`. */
async function until(seen: OrderSummary[], version: number, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((seen.at(-1)?.version ?? 0) < version) {
    if (Date.now() > deadline) throw new Error(`version ${version} not seen (last ${seen.at(-1)?.version})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('shows each of 50 changes once, in version order, and resumes after a cut with Last-Event-ID', async () => {
  const customer = await register(customer1, 'customer1');
  const order = await createOrder(customer1, customer.id);
  const seen: OrderSummary[] = [];
  const disconnects: number[] = [];
  const stop = new AbortController();
  // The create's consistency token goes along: the stream waits for the order instead of a 404.
  const watching = (async () => {
    for await (const version of customer1.watchOrder(order.id, {
      signal: stop.signal,
      retryMs: 1_000,
      onDisconnect: (_, after) => disconnects.push(after),
    })) {
      seen.push(version);
    }
  })();
  await until(seen, 1);
  let releaseClient: () => void = () => undefined;
  for (let n = 1; n <= 50; n += 1) {
    if (n >= 26 && n <= 30) {
      // Cut after version 26; versions 27 to 31 commit (each projected before the next is sent) while the client
      // is away: the reconnect is replayed every one of them.
      if (n === 26) {
        away = new Promise<void>((resolve) => (releaseClient = resolve));
        cut();
      }
      const answer = await addLine(customer1, order.id, n);
      const read = await customer1.api.GET('/api/orders/{id}', {
        params: { path: { id: order.id }, header: { Prefer: 'wait=10' } },
      });
      expect(read.response.headers.get('x-consistency')).toBe('reached');
      if (n === 30) {
        releaseClient();
        await until(seen, answer.version);
      }
      continue;
    }
    const answer = await addLine(customer1, order.id, n);
    await until(seen, answer.version);
  }
  stop.abort();
  await watching;
  expect(disconnects).toEqual([26]);
  expect(seen.map((o) => o.version)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
  expect(seen.at(-1)).toMatchObject({ id: order.id, lineCount: 50, total: 5_000, status: 'draft' });

  // What the gateway relays on a reconnect, unfiltered by the client: only what follows Last-Event-ID.
  expect((await rawEvents(order.id, '50', 1_000)).map((event) => event.id)).toEqual(['51']);
  expect(await rawEvents(order.id, '51', 1_000)).toEqual([]);
}, 60_000);

/** The events a raw stream through the gateway brings within `ms`, opened with this Last-Event-ID. */
async function rawEvents(orderId: string, lastEventId: string, ms: number): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const response = await fetch(`${e2e.api}/orders/${orderId}/live`, {
    headers: { ...(await e2e.authAs('customer1')), 'last-event-id': lastEventId },
    signal: AbortSignal.timeout(ms),
  });
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  try {
    for await (const chunk of response.body?.pipeThrough(new TextDecoderStream()) ?? []) parser.feed(chunk);
  } catch {
    // the timeout ended it
  }
  return events;
}

it("refuses customer1 a stream of customer2's order with 404, as for a missing one", async () => {
  const customer2 = e2e.clientAs('customer2');
  const theirs = await createOrder(customer2, (await register(customer2, 'customer2')).id);
  await customer2.api.GET('/api/orders/{id}', {
    params: { path: { id: theirs.id }, header: { Prefer: 'wait=10' } },
  });
  const refusal = async (id: string) => {
    try {
      await customer1.watchOrder(id).next();
    } catch (error) {
      return error;
    }
    return undefined;
  };
  const other = await refusal(theirs.id);
  const missing = await refusal(randomUUID());
  expect(isProblem(other, 'order.not-found')).toBe(true);
  expect(isProblem(missing, 'order.not-found')).toBe(true);
  expect(isProblem(other) && other.status).toBe(404);
});
