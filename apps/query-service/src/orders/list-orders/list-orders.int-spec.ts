import { randomUUID } from 'node:crypto';
import { BatchApplier, eventMessage, PROJECTIONS, type IncomingMessage } from '@tandem/read/projections';
import { startQueryService, type QueryServiceUnderTest } from '../../test/query-service-under-test';

/**
 * Must-show 7 of the read-side issue: listing 10,000 orders page by page while 1,000 new orders are created lists no
 * order twice and misses no order that existed before the listing started. New orders are projected between page
 * requests (on PGlite, connections cannot overlap; on Postgres this is the same interleaving a concurrent writer
 * produces at page boundaries, which is where a keyset list can go wrong).
 */
const EXISTING = 10_000;
const CREATED_MEANWHILE = 1_000;
let service: QueryServiceUnderTest;
let orders: BatchApplier;
const customerId = randomUUID();

function created(orderId: string, time: Date): IncomingMessage {
  return eventMessage(
    { type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } },
    { streamVersion: 1, time: time.toISOString() },
  );
}

beforeAll(async () => {
  service = await startQueryService('list_orders');
  orders = new BatchApplier(service.db, PROJECTIONS['order-summary']);
}, 60_000);

afterAll(async () => {
  await service?.close();
}, 60_000);

test(`${EXISTING} orders listed page by page while ${CREATED_MEANWHILE} are created: none twice, none missed`, async () => {
  const existing: string[] = [];
  const start = Date.parse('2026-11-01T00:00:00Z');
  const seed: IncomingMessage[] = [];
  for (let i = 0; i < EXISTING; i++) {
    const id = randomUUID();
    existing.push(id);
    // Orders come in pairs sharing a timestamp: the order id must break the tie.
    seed.push(created(id, new Date(start + Math.floor(i / 2) * 1000)));
  }
  for (let i = 0; i < seed.length; i += 1000) await orders.apply(seed.slice(i, i + 1000));

  await service.db.query('ANALYZE order_summary');
  const plan = (await service.db.query(
    `EXPLAIN SELECT * FROM order_summary WHERE customer_id = $1 AND (created_at, order_id) < ($2, $3)
      ORDER BY created_at DESC, order_id DESC LIMIT 101`,
    [customerId, new Date(start + 3_000_000), existing[0]],
  )) as Array<{ 'QUERY PLAN': string }>;
  // Every row here belongs to one customer, so either keyset index fits; what matters is no sort and no seq scan.
  const text = plan.map((line) => line['QUERY PLAN']).join('\n');
  expect(text).toMatch(/Index (Only )?Scan using order_summary_(customer_)?keyset/);
  expect(text).not.toMatch(/Sort|Seq Scan/);

  const listed: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let made = 0;
  do {
    const query = new URLSearchParams({ customerId, limit: '100', ...(cursor ? { cursor } : {}) });
    const response = await service.fetch(`/api/orders?${query.toString()}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    listed.push(...page.items.map((o) => o.id));
    cursor = page.nextCursor;
    pages += 1;
    if (made < CREATED_MEANWHILE) {
      const batch = Array.from({ length: 10 }, (_, i) =>
        created(randomUUID(), new Date(Date.parse('2026-11-29T00:00:00Z') + (made + i) * 1000)),
      );
      await orders.apply(batch);
      made += batch.length;
    }
  } while (cursor);

  expect(made).toBe(CREATED_MEANWHILE);
  expect(pages).toBeGreaterThanOrEqual(EXISTING / 100);
  expect(new Set(listed).size).toBe(listed.length);
  const seen = new Set(listed);
  expect(existing.filter((id) => !seen.has(id))).toEqual([]);
}, 300_000);
