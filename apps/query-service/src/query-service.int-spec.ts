import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  Customer,
  DailySalesReport,
  DailySalesRow,
  OrderLine,
  OrderPage,
  OrderSummary,
} from '@tandem/contracts';
import { eventMessage, orderStory, storyMessages } from '@tandem/read/projections';
import { startQueryService, type QueryServiceUnderTest } from './test/query-service-under-test';

/**
 * The query service over real HTTP, on a read DB filled by the real projections: single reads, lists, the report,
 * freshness and consistency headers, ETags, and a problem for each kind of bad input.
 */
let service: QueryServiceUnderTest;
const customerId = randomUUID();
const placedOrder = randomUUID();
const draftOrder = randomUUID();

beforeAll(async () => {
  service = await startQueryService('query_service');
  await service.project([
    eventMessage(
      {
        type: 'CustomerRegistered',
        data: { customerId, name: 'Ada', email: 'ada@example.com', currency: 'EUR', creditLimit: 50_000 },
      },
      { streamVersion: 1, time: '2026-11-28T09:00:00.000Z' },
    ),
    ...storyMessages(
      orderStory(placedOrder, customerId, ['line', 'line', 'place']),
      new Date('2026-11-28T10:00:00Z'),
    ),
    ...storyMessages(orderStory(draftOrder, customerId, ['line']), new Date('2026-11-28T11:00:00Z')),
  ]);
}, 60_000);

afterAll(async () => {
  await service?.close();
}, 60_000);

const get = (path: string, headers: Record<string, string> = {}) => service.fetch(path, { headers });

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as { code: string; errors?: Array<{ field: string; message: string }> };
}

describe('GET /api/orders/{id}', () => {
  test('answers the order summary with its freshness and an ETag from its version', async () => {
    const response = await get(`/api/orders/${placedOrder}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: placedOrder,
      customerId,
      status: 'placed',
      currency: 'EUR',
      lines: [
        { sku: 'SKU-0', quantity: 2, unitPrice: 150 },
        { sku: 'SKU-1', quantity: 2, unitPrice: 150 },
      ],
      total: 600,
      version: 4,
      createdAt: '2026-11-28T10:00:00.000Z',
      placedAt: '2026-11-28T10:00:03.000Z',
    });
    expect(response.headers.get('x-data-as-of')).toBe('2026-11-28T11:00:01.000Z');
    const etag = response.headers.get('etag');
    expect(etag).toBe('"order-v4"');
    const again = await get(`/api/orders/${placedOrder}`, { 'If-None-Match': etag ?? '' });
    expect(again.status).toBe(304);
  });

  test('404 for an unknown order, 400 naming the id for a malformed one', async () => {
    const unknown = await get(`/api/orders/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect((await problemOf(unknown)).code).toBe('order.not-found');
    const malformed = await get('/api/orders/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect((await problemOf(malformed)).errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });

  test('a consistency token already reached answers at once; one ahead waits, then says behind', async () => {
    const reached = await get(`/api/orders/${placedOrder}`, {
      'X-Consistency-Token': service.tokens.issue(
        { kind: 'order', streamId: placedOrder, version: 4 },
        'staff-test',
      ),
    });
    expect(reached.headers.get('x-consistency')).toBe('reached');

    const started = Date.now();
    const behind = await get(`/api/orders/${placedOrder}`, {
      'X-Consistency-Token': service.tokens.issue(
        { kind: 'order', streamId: placedOrder, version: 5 },
        'staff-test',
      ),
      Prefer: 'wait=1',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(behind.status).toBe(200);
    expect(behind.headers.get('x-consistency')).toBe('behind');
    expect(behind.headers.get('preference-applied')).toBe('wait=1');
  });

  test('a read waiting on a token answers as soon as the projection applies that version', async () => {
    const orderId = randomUUID();
    const messages = storyMessages(orderStory(orderId, customerId, ['line']));
    await service.project(messages.slice(0, 1));
    const reading = get(`/api/orders/${orderId}`, {
      'X-Consistency-Token': service.tokens.issue(
        { kind: 'order', streamId: orderId, version: 2 },
        'staff-test',
      ),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await service.project(messages.slice(1));
    const response = await reading;
    expect(response.headers.get('x-consistency')).toBe('reached');
    expect(await response.json()).toMatchObject({ version: 2, lines: [{ sku: 'SKU-0' }] });
  });

  test('a malformed consistency token is a 400 naming the header', async () => {
    const response = await get(`/api/orders/${placedOrder}`, { 'X-Consistency-Token': 'not!a!token' });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.field).toBe('X-Consistency-Token');
  });
});

describe('GET /api/customers/{id}', () => {
  test('answers the customer with order counts per status', async () => {
    const response = await get(`/api/customers/${customerId}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: customerId,
      name: 'Ada',
      email: 'ada@example.com',
      currency: 'EUR',
      creditLimit: 50_000,
      version: 1,
      orderCounts: { placed: 1 },
      lifetimeValue: '0',
    });
    expect(response.headers.get('x-data-as-of')).toMatch(/^2026-11-28T/);
  });

  test('404 for an unknown customer', async () => {
    const response = await get(`/api/customers/${randomUUID()}`);
    expect(response.status).toBe(404);
    expect((await problemOf(response)).code).toBe('customer.not-found');
  });
});

describe('GET /api/orders (lists)', () => {
  test('pages newest first with opaque cursors, each order once', async () => {
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ customerId, limit: '1', ...(cursor ? { cursor } : {}) });
      const response = await get(`/api/orders?${query.toString()}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
      listed.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    // Newest first: the draft (11:00) comes before the placed order (10:00).
    expect(listed.indexOf(draftOrder)).toBeGreaterThanOrEqual(0);
    expect(listed.indexOf(draftOrder)).toBeLessThan(listed.indexOf(placedOrder));
    expect(new Set(listed).size).toBe(listed.length);
  });

  test('filters by status and date range', async () => {
    const ids = async (query: string) => {
      const page = (await (await get(`/api/orders?${query}`)).json()) as { items: Array<{ id: string }> };
      return page.items.map((o) => o.id);
    };
    expect(await ids(`customerId=${customerId}&status=placed`)).toEqual([placedOrder]);
    expect(await ids('from=2026-11-28T10:30:00Z&to=2026-11-28')).toEqual([draftOrder]);
  });

  test.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=ten', 'limit'],
    ['status=lost', 'status'],
    ['from=yesterday', 'from'],
    ['to=2026-13-45', 'to'],
    ['customerId=123', 'customerId'],
    ['cursor=garbage', 'cursor'],
    ['colour=red', 'colour'],
  ])('%s is a 400 naming %s', async (query, field) => {
    const response = await get(`/api/orders?${query}`);
    expect(response.status).toBe(400);
    const body = await problemOf(response);
    expect(body.errors?.map((e) => e.field)).toContain(field);
  });

  test('a tampered cursor, and a cursor reused with other filters, are refused', async () => {
    const first = (await (await get(`/api/orders?customerId=${customerId}&limit=1`)).json()) as {
      nextCursor: string;
    };
    const cursor = first.nextCursor;
    const [body, signature] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ t: '2030-01-01T00:00:00.000Z', i: randomUUID(), f: 'x' })).toString('base64url')}.${signature}`;
    for (const bad of [forged, `${body}.${signature?.slice(1)}A`]) {
      const response = await get(`/api/orders?customerId=${customerId}&limit=1&cursor=${bad}`);
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors?.[0]?.message).toMatch(/altered|not issued/);
    }
    const other = await get(`/api/orders?status=draft&limit=1&cursor=${cursor}`);
    expect(other.status).toBe(400);
    expect((await problemOf(other)).errors?.[0]?.message).toMatch(/other filters/);
  });
});

describe('GET /api/reports/daily-sales', () => {
  test('answers each day and currency in the range', async () => {
    const response = await get('/api/reports/daily-sales?from=2026-11-01&to=2026-11-30');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [
        {
          day: '2026-11-28',
          currency: 'EUR',
          placedCount: 1,
          placedTotal: '600',
          shippedCount: 0,
          shippedTotal: '0',
          cancelledCount: 0,
          cancelledTotal: '0',
        },
      ],
    });
    // The projection has seen the draft order's events too (they change no sales): its data is as of 11:00:01.
    expect(response.headers.get('x-data-as-of')).toBe('2026-11-28T11:00:01.000Z');
  });

  test.each([
    ['from=2026-11-01', 'to'],
    ['from=2026-11-01&to=2026-11-02&currency=EUR', 'currency'],
    ['from=2026-11-31&to=2026-12-01', 'from'],
    ['from=2026-12-01&to=2026-11-01', 'to'],
    ['from=2020-01-01&to=2026-01-01', 'to'],
  ])('%s is a 400 naming %s', async (query, field) => {
    const response = await get(`/api/reports/daily-sales?${query}`);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.map((e) => e.field)).toContain(field);
  });
});

describe('answers match the read-model schemas the OpenAPI document is generated from', () => {
  /** Every key the schema names is there, nothing the schema does not name, and every value parses. */
  function expectExactly(schema: z.ZodObject, value: unknown) {
    expect(Object.keys(value as object).sort()).toEqual(Object.keys(schema.shape).sort());
    expect(() => schema.parse(value)).not.toThrow();
  }

  test('order summary, order page, customer and daily sales', async () => {
    const order = await (await get(`/api/orders/${placedOrder}`)).json();
    expectExactly(OrderSummary, order);
    for (const line of (order as { lines: unknown[] }).lines) expectExactly(OrderLine, line);

    const page = (await (await get(`/api/orders?customerId=${customerId}`)).json()) as { items: unknown[] };
    expectExactly(OrderPage, page);
    expect(page.items.length).toBeGreaterThanOrEqual(2);
    for (const item of page.items) expectExactly(OrderSummary, item);

    expectExactly(Customer, await (await get(`/api/customers/${customerId}`)).json());

    const report = (await (await get('/api/reports/daily-sales?from=2026-11-28&to=2026-11-28')).json()) as {
      items: unknown[];
    };
    expectExactly(DailySalesReport, report);
    expect(report.items).toHaveLength(1);
    for (const row of report.items) expectExactly(DailySalesRow, row);
  });
});
