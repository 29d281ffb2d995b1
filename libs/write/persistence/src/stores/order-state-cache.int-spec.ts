import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { OrderCustomer } from '@tandem/write/domain';
import { orderCommand, stepCommand } from '../test/order-commands';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { PostgresCommandTransactions } from '../transactions/postgres-command-transactions';
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

/**
 * What the driver was asked while `work` ran: the round trips (queries sent, each answered before the next), and the
 * number of event rows each read of a stream's events returned, whether the store read them itself or the
 * transaction's opening round trip did.
 */
async function statementsWhile<T>(
  work: () => Promise<T>,
): Promise<{ result: T; rowsRead: number[]; roundTrips: number }> {
  const rowsRead: number[] = [];
  let roundTrips = 0;
  const count = (answer: unknown): void => {
    for (const one of Array.isArray(answer) ? answer : [answer]) {
      const { fields, rows } = one as { fields?: { name: string }[]; rows?: unknown[] };
      if (fields?.some((field) => field.name === 'schema_version')) rowsRead.push(rows?.length ?? 0);
    }
  };
  const original = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (
    this: Client,
    ...args: unknown[]
  ) {
    roundTrips++;
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      // typeorm's runner passes a callback.
      args[args.length - 1] = (error: unknown, answer: unknown) => {
        if (!error) count(answer);
        (last as (error: unknown, answer: unknown) => void)(error, answer);
      };
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    }
    const answer = (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    return answer.then((value) => {
      count(value);
      return value;
    });
  } as typeof Client.prototype.query);
  try {
    return { result: await work(), rowsRead, roundTrips };
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

it('takes two round trips for a command on an order it holds: BEGIN, the key and the reads; the append with COMMIT', async () => {
  const orderId = randomUUID();
  const cached = new PostgresCommandTransactions(db.dataSource, {
    orderStateCache: new OrderStateCache(100),
  });
  const uncached = new PostgresCommandTransactions(db.dataSource);
  await orderCommand(cached, orderId, () => stepCommand('create', orderId, customer), randomUUID());

  const held = await statementsWhile(() =>
    orderCommand(cached, orderId, () => stepCommand('line', orderId, customer, 1), randomUUID()),
  );
  // The one event written since its load (the create's own), and the customer beside it: no round trip of its own.
  expect(held).toMatchObject({ result: 2, rowsRead: [1], roundTrips: 2 });

  // Without the cache the whole stream is read, still in the opening round trip.
  const notHeld = await statementsWhile(() =>
    orderCommand(uncached, orderId, () => stepCommand('line', orderId, customer, 2), randomUUID()),
  );
  expect(notHeld).toMatchObject({ result: 3, rowsRead: [2], roundTrips: 2 });

  // The same key again: its stored answer, and nothing written.
  const key = randomUUID();
  await orderCommand(cached, orderId, () => stepCommand('line', orderId, customer, 3), key);
  expect(await orderCommand(cached, orderId, () => stepCommand('line', orderId, customer, 4), key)).toBe(4);
  await orderCommand(uncached, orderId, (state) => {
    expect(state?.lines.map((line) => line.sku)).toEqual(['SKU-1', 'SKU-2', 'SKU-3']);
    return stepCommand('place', orderId, customer);
  });
});
