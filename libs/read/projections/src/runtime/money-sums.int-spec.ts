import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TandemEvent } from '@tandem/contracts';
import {
  CustomerOrdersQueries,
  DailySalesQueries,
  openMigratedReadDatabase,
  type MigratedReadDatabase,
} from '@tandem/read/models';
import { eventMessage } from '../testing/event-messages';
import { BatchApplier } from './batch-applier';
import type { IncomingMessage } from './incoming-message';
import type { Projection } from './projection';
import { PROJECTIONS } from './projection-catalog';

const { 'customer-orders': customerOrdersProjection, 'daily-sales': dailySalesProjection } = PROJECTIONS;

/**
 * Sums over orders have no bound: a day's sales and a customer's lifetime value add up any number of orders. Here
 * 1,100 orders of the largest total the event contract allows (2^53 − 1, which events published before the write
 * side's tighter bound may carry) pass both 2^53 and PostgreSQL's bigint (2^63 − 1), on the batch path and on the
 * per-event path: the sums stay exact, nothing is dead-lettered, and a later event still applies.
 */
let read: MigratedReadDatabase | undefined;
let dataSource: DataSource;

beforeAll(async () => {
  read = await openMigratedReadDatabase('money_sums');
  dataSource = read.dataSource;
}, 60_000);

afterAll(() => read?.close(), 60_000);

const TOTAL = Number.MAX_SAFE_INTEGER;
const ORDERS = 1_100;

/** Every order of one customer created, placed and shipped on one UTC day, in JPY, at the largest total. */
function shippedOrders(customerId: string, count: number, firstOffset: number): IncomingMessage[] {
  const messages: IncomingMessage[] = [];
  let offset = firstOffset;
  for (let n = 0; n < count; n++) {
    const orderId = randomUUID();
    const data = { orderId, customerId, total: TOTAL, currency: 'JPY' };
    const story: TandemEvent[] = [
      { type: 'OrderCreated', data: { orderId, customerId, currency: 'JPY' } },
      { type: 'OrderPlaced', data },
      { type: 'OrderShipped', data },
    ];
    story.forEach((event, i) =>
      messages.push(
        eventMessage(event, {
          streamVersion: i + 1,
          time: `2026-11-28T${String(10 + (n % 12)).padStart(2, '0')}:00:0${i}.000Z`,
          offset: offset++,
        }),
      ),
    );
  }
  return messages;
}

const exactSum = (count: number): string => (BigInt(count) * BigInt(TOTAL)).toString();

describe.each([
  ['batch', (p: Projection): Projection => p],
  ['per-event', ({ applyMany: _batch, ...eventByEvent }: Projection): Projection => eventByEvent],
] as const)('sums past bigint on the %s path', (path, shape) => {
  let tables: { daily: string; customers: string };

  beforeAll(async () => {
    tables = {
      daily: `daily_sales_${path.replace('-', '_')}`,
      customers: `customer_orders_${path.replace('-', '_')}`,
    };
    await dataSource.query(`CREATE TABLE ${tables.daily} (LIKE daily_sales INCLUDING ALL)`);
    await dataSource.query(`CREATE TABLE ${tables.customers} (LIKE customer_orders INCLUDING ALL)`);
  });

  it('keeps the daily-sales totals and the lifetime value exact, with no dead letter', async () => {
    expect(BigInt(exactSum(ORDERS))).toBeGreaterThan(2n ** 63n - 1n);
    const customerId = randomUUID();
    const messages = shippedOrders(customerId, ORDERS, 0);
    const options = (name: string, table: string) => ({
      namespace: `${name}@${path}`,
      table: (t: string) => (t === 'daily_sales' || t === 'customer_orders' ? table : t),
    });
    const sales = new BatchApplier(
      dataSource,
      shape(dailySalesProjection),
      options('daily-sales', tables.daily),
    );
    const customers = new BatchApplier(
      dataSource,
      shape(customerOrdersProjection),
      options('customer-orders', tables.customers),
    );
    // In batches, as a consumer takes them; each batch's own sum already passes 2^53.
    for (let from = 0; from < messages.length; from += 600) {
      const batch = messages.slice(from, from + 600);
      expect((await sales.apply(batch)).deadLettered).toEqual([]);
      expect((await customers.apply(batch)).deadLettered).toEqual([]);
    }

    const [day] = await dataSource.query(
      `SELECT placed_count::int AS placed, placed_total::text AS placed_total, shipped_total::text AS shipped_total
         FROM ${tables.daily} WHERE day = '2026-11-28' AND currency = 'JPY'`,
    );
    expect(day).toEqual({ placed: ORDERS, placed_total: exactSum(ORDERS), shipped_total: exactSum(ORDERS) });
    const [customer] = await dataSource.query(
      `SELECT shipped_count::int AS shipped, lifetime_value::text AS lifetime_value
         FROM ${tables.customers} WHERE customer_id = $1`,
      [customerId],
    );
    expect(customer).toEqual({ shipped: ORDERS, lifetime_value: exactSum(ORDERS) });

    // A later placement that day still applies on top of a sum past bigint.
    const later = shippedOrders(customerId, 1, messages.length);
    expect((await sales.apply(later)).deadLettered).toEqual([]);
    expect((await customers.apply(later)).deadLettered).toEqual([]);
    const [after] = await dataSource.query(
      `SELECT placed_total::text AS placed_total FROM ${tables.daily} WHERE day = '2026-11-28' AND currency = 'JPY'`,
    );
    expect(after).toEqual({ placed_total: exactSum(ORDERS + 1) });
  }, 120_000);
});

test('the read models answer such sums as exact decimal strings', async () => {
  const customerId = randomUUID();
  const registered = eventMessage(
    {
      type: 'CustomerRegistered',
      data: { customerId, name: 'Kaito', email: 'kaito@example.com', currency: 'JPY', creditLimit: TOTAL },
    },
    { streamVersion: 1 },
  );
  const messages = [registered, ...shippedOrders(customerId, 2, 0)];
  await new BatchApplier(dataSource, dailySalesProjection).apply(messages);
  await new BatchApplier(dataSource, customerOrdersProjection).apply(messages);
  // 2 × (2^53 − 1) = 18014398509481982: as a JSON number it would be read as …984.
  const [row] = await new DailySalesQueries(dataSource).between('2026-11-28', '2026-11-28');
  expect(row).toMatchObject({
    placed_count: 2,
    placed_total: '18014398509481982',
    shipped_total: '18014398509481982',
  });
  const customer = await new CustomerOrdersQueries(dataSource).findRegistered(customerId);
  expect(customer).toMatchObject({
    shipped_count: 2,
    lifetime_value: '18014398509481982',
    credit_limit: TOTAL,
  });
});
