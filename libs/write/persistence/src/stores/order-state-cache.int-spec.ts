import { randomUUID } from 'node:crypto';
import type { OrderCustomer } from '@tandem/write/domain';
import { orderCommand, stepCommand } from '../test/order-commands';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { PostgresCommandTransactions } from '../transactions/postgres-command-transactions';
import { Sql } from '../transactions/sql';
import { OrderStateCache } from './order-state-cache';

/**
 * A replica that keeps orders folded between commands reads only the events after the version it holds: what other
 * replicas wrote meanwhile is folded on top, a stale entry never lets a write through, and v1 rows after the cached
 * version are upcast with the order's currency the cache remembers.
 */
jest.setTimeout(60_000);

let db: WriteTestDatabase;
const customer: OrderCustomer = { customerId: randomUUID(), currency: 'CHF' };

beforeAll(async () => {
  db = await createWriteTestDatabase('order_state_cache');
});
afterAll(() => db.close());

/** The number of event rows each stream load read while `work` ran. */
async function statementsWhile<T>(work: () => Promise<T>): Promise<{ result: T; rowsRead: number[] }> {
  const rowsRead: number[] = [];
  const original = Sql.prototype.rows;
  const spy = jest.spyOn(Sql.prototype, 'rows').mockImplementation(async function <R>(
    this: Sql,
    sql: string,
    params?: unknown[],
  ): Promise<R[]> {
    const rows = await original.call(this, sql, params);
    if (/FROM events\s+WHERE stream_id = \$1/.test(sql)) rowsRead.push(rows.length);
    return rows as R[];
  });
  try {
    return { result: await work(), rowsRead };
  } finally {
    spy.mockRestore();
  }
}

it('reads only the new events of an order it holds, and folds what another replica wrote', async () => {
  const orderId = randomUUID();
  const cached = new PostgresCommandTransactions(db.dataSource, {
    orderStateCache: new OrderStateCache(100),
  });
  const other = new PostgresCommandTransactions(db.dataSource);
  await orderCommand(cached, orderId, () => stepCommand('create', orderId, customer));
  for (let n = 1; n <= 5; n++)
    await orderCommand(cached, orderId, () => stepCommand('line', orderId, customer, n));

  // Another replica (no cache) adds two lines behind this one's back.
  await orderCommand(other, orderId, () => stepCommand('line', orderId, customer, 6));
  await orderCommand(other, orderId, () => stepCommand('line', orderId, customer, 7));

  const { rowsRead, result } = await statementsWhile(() =>
    orderCommand(cached, orderId, (state) => {
      expect(state?.version).toBe(8);
      expect(state?.lines.map((line) => line.sku)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `SKU-${n}`));
      return stepCommand('place', orderId, customer);
    }),
  );
  expect(result).toBe(9);
  // The events since its last load (its own line 5 and the other's two), not the stream's eight.
  expect(rowsRead).toEqual([3]);

  // A fresh, uncached fold of the stream agrees with the cached one.
  await orderCommand(other, orderId, (state) => {
    expect(state).toMatchObject({ status: 'placed', version: 9, total: expect.any(Number) });
    return stepCommand('ship', orderId, customer);
  });
  await orderCommand(cached, orderId, (state) => {
    expect(state).toMatchObject({ status: 'shipped', version: 10 });
    // A shipped order refuses a line: the rule is judged on the state the other replica left.
    return stepCommand('line', orderId, customer, 8);
  }).then(
    () => {
      throw new Error('a line was added to a shipped order');
    },
    (error: Error) => expect(error.message).toMatch(/shipped/i),
  );
});

it('upcasts the v1 rows written after its cached version with the order currency it remembers', async () => {
  const orderId = randomUUID();
  const cached = new PostgresCommandTransactions(db.dataSource, {
    orderStateCache: new OrderStateCache(100),
  });
  await orderCommand(cached, orderId, () => stepCommand('create', orderId, customer));
  await orderCommand(cached, orderId, () => stepCommand('line', orderId, customer, 1));
  // A replica of the previous release (EVENT_VERSION_WRITTEN=1) adds a line as v1: a bare integer price.
  await orderCommand(
    new PostgresCommandTransactions(db.dataSource, { eventVersionWritten: 1 }),
    orderId,
    () => stepCommand('line', orderId, customer, 2),
  );
  await orderCommand(cached, orderId, (state) => {
    expect(state?.lines).toEqual([
      { sku: 'SKU-1', quantity: 2, unitPrice: 126 },
      { sku: 'SKU-2', quantity: 3, unitPrice: 127 },
    ]);
    expect(state?.total).toBe(2 * 126 + 3 * 127);
    return stepCommand('place', orderId, customer);
  });
});

it('is refused by the append when two replicas race on the same version, and the loser retries on fresh state', async () => {
  const orderId = randomUUID();
  const a = new PostgresCommandTransactions(db.dataSource, { orderStateCache: new OrderStateCache(100) });
  const b = new PostgresCommandTransactions(db.dataSource, { orderStateCache: new OrderStateCache(100) });
  await orderCommand(a, orderId, () => stepCommand('create', orderId, customer));
  await orderCommand(b, orderId, (state) => {
    expect(state?.version).toBe(1);
    return stepCommand('line', orderId, customer, 1);
  });
  const versions = await Promise.all(
    Array.from({ length: 10 }, (_, n) =>
      orderCommand(n % 2 ? a : b, orderId, () => stepCommand('line', orderId, customer, 10 + n)),
    ),
  );
  expect([...versions].sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, n) => n + 3));
  await orderCommand(new PostgresCommandTransactions(db.dataSource), orderId, (state) => {
    expect(state?.lines).toHaveLength(11);
    return stepCommand('place', orderId, customer);
  });
});
