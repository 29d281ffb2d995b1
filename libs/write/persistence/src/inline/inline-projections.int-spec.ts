import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { customerExposureModel } from '@tandem/inline-models';
import { migratedShape, shapeDifferences } from '@tandem/platform/read-model';
import { isRealPostgres } from '@tandem/platform/testing';
import { expectedExposure, exposureRows } from '../test/expected-exposure';
import { ORDER_LIVES, orderCommand, orderLife, stepCommand, type OrderStep } from '../test/order-commands';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import type { CommandTransactions } from '../transactions/command-transactions';
import { PostgresCommandTransactions } from '../transactions/postgres-command-transactions';
import { InlineCatchUp } from './inline-catch-up';
import { InlineProjections } from './inline-projections';

// Embedded PGlite starts slowly on a busy machine.
jest.setTimeout(120_000);

const exposure = new InlineProjections([customerExposureModel]);
const customer = () => ({ customerId: randomUUID(), currency: 'EUR' });

/**
 * Counts the round trips of a data source's command transactions: every query on a runner's connection (the
 * runner's own queries go through `connect()` too).
 */
function countingRoundTrips(dataSource: DataSource): { dataSource: DataSource; count: () => number } {
  let trips = 0;
  const counting = new Proxy(dataSource, {
    get(target, property, receiver) {
      if (property !== 'createQueryRunner') return Reflect.get(target, property, receiver);
      return () => {
        const runner = target.createQueryRunner();
        const connect = runner.connect.bind(runner);
        runner.connect = async () => {
          const client = (await connect()) as { query: (...args: unknown[]) => Promise<unknown> };
          return new Proxy(client, {
            get(c, p, r) {
              if (p !== 'query') return Reflect.get(c, p, r);
              return (...args: unknown[]) => {
                trips++;
                return c.query(...args);
              };
            },
          });
        };
        return runner;
      };
    },
  });
  return { dataSource: counting, count: () => trips };
}

async function rowOf(db: DataSource, customerId: string) {
  return (await exposureRows(db)).find((r) => r.customer_id === customerId);
}

describe('inline models in the command transaction', () => {
  let db: WriteTestDatabase;
  let inline: PostgresCommandTransactions;
  let plain: PostgresCommandTransactions;

  beforeAll(async () => {
    db = await createWriteTestDatabase('inline_live');
    inline = new PostgresCommandTransactions(db.dataSource, { inline: exposure });
    plain = new PostgresCommandTransactions(db.dataSource);
  });
  afterAll(() => db.close());

  it('migrates the customer_exposure table its declaration describes', async () => {
    const query = (sql: string, params: unknown[]) =>
      db.dataSource.query(sql, params) as Promise<Array<Record<string, unknown>>>;
    expect(shapeDifferences(customerExposureModel, await migratedShape(query, 'customer_exposure'))).toEqual(
      [],
    );
  });

  it('opens an order when it is placed and closes it when shipped or cancelled, in the same transaction', async () => {
    const ann = customer();
    const first = await orderLife(inline, ann, ['create', 'line', 'line']);
    // Events the model does not read touch none of its tables.
    expect(await rowOf(db.dataSource, ann.customerId)).toBeUndefined();
    expect(
      await db.dataSource.query(`SELECT * FROM inline_checkpoints WHERE stream_id = $1`, [first]),
    ).toEqual([]);
    await orderCommand(inline, first, () => stepCommand('place', first, ann));
    const second = await orderLife(inline, ann, ['create', 'line', 'place']);
    // Lines 1 and 2 of the first order (2 × 126, 3 × 127) and line 1 of the second (2 × 126).
    expect(await rowOf(db.dataSource, ann.customerId)).toMatchObject({
      currency: 'EUR',
      open_count: 2,
      open_total: String(252 + 381 + 252),
    });
    await orderCommand(inline, first, () => stepCommand('ship', first, ann));
    expect(await rowOf(db.dataSource, ann.customerId)).toMatchObject({ open_count: 1, open_total: '252' });
    await orderCommand(inline, second, () => stepCommand('cancel', second, ann));
    const closed = await rowOf(db.dataSource, ann.customerId);
    expect(closed).toMatchObject({ open_count: 0, open_total: '0' });
    // The row's time is the envelope time of the last event that changed it, as the outbox carries it.
    const [outbox] = (await db.dataSource.query(
      `SELECT envelope->>'time' AS time FROM outbox WHERE message_key = $1 ORDER BY position DESC LIMIT 1`,
      [second],
    )) as Array<{ time: string }>;
    expect(Date.parse(closed?.updated_at ?? '')).toBe(Date.parse(outbox?.time ?? ''));

    // A draft cancelled was never open: nothing changes, not even the time.
    await orderLife(inline, ann, ['create', 'line', 'cancel']);
    expect(await rowOf(db.dataSource, ann.customerId)).toEqual(closed);
    expect(
      await db.dataSource.query(
        `SELECT version FROM inline_checkpoints WHERE model = $1 AND stream_id = $2`,
        ['customer-exposure', first],
      ),
    ).toEqual([{ version: 5 }]);
  });

  it('writes nothing of the model when the command fails after its append', async () => {
    const bob = customer();
    const orderId = await orderLife(inline, bob, ['create', 'line']);
    await expect(
      inline.run({ correlationId: 'c', commandId: randomUUID() }, async ({ orders }) => {
        const state = await orders.load(orderId);
        await orders.append(orderId, state?.version ?? 0, [
          {
            type: 'OrderPlaced',
            data: { orderId, customerId: bob.customerId, total: 125, currency: 'EUR' },
          },
        ]);
        throw new Error('fails after the append');
      }),
    ).rejects.toThrow('fails after the append');
    expect(await rowOf(db.dataSource, bob.customerId)).toBeUndefined();
  });

  it('adds no round trip: a command the model reads, or not, takes as many with the model as without', async () => {
    const trips = async (withModel: boolean, steps: OrderStep[]) => {
      const counted = countingRoundTrips(db.dataSource);
      const transactions = new PostgresCommandTransactions(
        counted.dataSource,
        withModel ? { inline: exposure } : {},
      );
      const who = customer();
      const orderId = await orderLife(withModel ? inline : plain, who, steps.slice(0, -1));
      const before = counted.count();
      await orderCommand(transactions, orderId, () => stepCommand(steps.at(-1) ?? 'line', orderId, who, 7));
      return counted.count() - before;
    };
    const place: OrderStep[] = ['create', 'line', 'place'];
    const line: OrderStep[] = ['create', 'line', 'line'];
    const ship: OrderStep[] = ['create', 'line', 'place', 'ship'];
    expect(await trips(true, line)).toBe(await trips(false, line));
    expect(await trips(true, place)).toBe(await trips(false, place));
    expect(await trips(true, ship)).toBe(await trips(false, ship));
    // BEGIN with the load; the append (the model's claim and writes are part of it) with COMMIT.
    expect(await trips(true, place)).toBe(2);
  });

  it('applies a stream written without the model from its checkpoint, at the next command the model reads', async () => {
    const cleo = customer();
    // Placed by a writer that does not run the model (before it was deployed, or an older replica).
    const shipped = await orderLife(plain, cleo, ['create', 'line', 'place']);
    const cancelled = await orderLife(plain, cleo, ['create', 'line', 'place']);
    const placedLate = await orderLife(plain, cleo, ['create', 'line']);
    await orderCommand(inline, shipped, () => stepCommand('ship', shipped, cleo));
    await orderCommand(inline, cancelled, () => stepCommand('cancel', cancelled, cleo));
    // The model reads no earlier event of this one: the claim holds as it stands.
    await orderCommand(inline, placedLate, () => stepCommand('place', placedLate, cleo, 3));
    expect(await rowOf(db.dataSource, cleo.customerId)).toMatchObject({ open_count: 1, open_total: '252' });
    const checkpoints = (await db.dataSource.query(
      `SELECT stream_id, version FROM inline_checkpoints WHERE stream_id = ANY($1) ORDER BY version`,
      [[shipped, cancelled, placedLate]],
    )) as Array<{ stream_id: string; version: number }>;
    expect(checkpoints.map((c) => c.version)).toEqual([3, 4, 4]);
  });
});

describe('filling, catching up and rebuilding from the event store', () => {
  let db: WriteTestDatabase;
  let inline: PostgresCommandTransactions;
  let plain: PostgresCommandTransactions;
  const customers = Array.from({ length: 6 }, customer);

  /** Orders by a writer: the lives in turn, spread over the customers. */
  const writeOrders = (transactions: CommandTransactions, n: number, offset = 0) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        orderLife(
          transactions,
          customers[(i + offset) % customers.length] ?? customer(),
          ORDER_LIVES[(i + offset) % ORDER_LIVES.length] ?? [],
        ),
      ),
    );

  beforeAll(async () => {
    db = await createWriteTestDatabase('inline_fill', 20);
    inline = new PostgresCommandTransactions(db.dataSource, { inline: exposure });
    plain = new PostgresCommandTransactions(db.dataSource);
  });
  afterAll(() => db.close());

  it('fills a model introduced on a write DB that has events, once, then catches up what was written without it', async () => {
    await writeOrders(plain, 25);
    const catchUp = new InlineCatchUp(db.dataSource, exposure, { chunkSize: 7 });
    const [filled] = await catchUp.run();
    expect(filled).toMatchObject({ model: 'customer-exposure', how: 'filled' });
    expect(filled?.events).toBeGreaterThan(20);
    expect(await exposureRows(db.dataSource)).toEqual(await expectedExposure(db.dataSource));
    expect(await db.dataSource.query(`SELECT model FROM inline_models`)).toEqual([
      { model: 'customer-exposure' },
    ]);

    // Nothing new: nothing to apply.
    expect((await catchUp.run())[0]).toMatchObject({ how: 'caught-up', events: 0 });

    // Commands with the model and without it (a replica not running it); the catch-up applies only the latter.
    await writeOrders(inline, 10, 1);
    await writeOrders(plain, 10, 2);
    const [caughtUp] = await catchUp.run();
    expect(caughtUp).toMatchObject({ how: 'caught-up' });
    const written = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM events WHERE type IN ('OrderPlaced', 'OrderShipped', 'OrderCancelled')`,
    )) as Array<{ n: number }>;
    expect(caughtUp?.events).toBeLessThan((written[0]?.n ?? 0) - (filled?.events ?? 0));
    expect(await exposureRows(db.dataSource)).toEqual(await expectedExposure(db.dataSource));
  });

  it('rebuilds a model from the event store in one transaction, and forgets one not run', async () => {
    await db.dataSource.query(`UPDATE customer_exposure SET open_count = open_count + 5`);
    const catchUp = new InlineCatchUp(db.dataSource, exposure);
    expect(await catchUp.rebuild('customer-exposure')).toMatchObject({ how: 'rebuilt' });
    expect(await exposureRows(db.dataSource)).toEqual(await expectedExposure(db.dataSource));

    await catchUp.forget([customerExposureModel]);
    expect(await exposureRows(db.dataSource)).toEqual([]);
    expect(await db.dataSource.query(`SELECT * FROM inline_models`)).toEqual([]);
    expect(await db.dataSource.query(`SELECT * FROM inline_checkpoints`)).toEqual([]);
    expect((await catchUp.run())[0]).toMatchObject({ how: 'filled' });
    expect(await exposureRows(db.dataSource)).toEqual(await expectedExposure(db.dataSource));
  });

  // Concurrent transactions need a real server: PGlite runs one session for all connections.
  (isRealPostgres() ? it : it.skip)(
    'never applies an event twice or misses one while commands, with the model and without it, run during catch-ups and rebuilds',
    async () => {
      const catchUp = new InlineCatchUp(db.dataSource, exposure, { chunkSize: 3 });
      // Each command goes to a replica running the model or to one that does not (a rollout): streams are written
      // by both in turn, so commands often find the model behind on their stream.
      const mixed: CommandTransactions = {
        run: (options, work) => (Math.random() < 0.5 ? inline : plain).run(options, work),
      };
      let writing = true;
      let passes = 0;
      // The writers go on until the passes have had commands to race with, at least six rounds each and eight
      // passes (two of them rebuilds): how many passes fit in six rounds depends on the machine's load.
      const writers = Promise.all(
        Array.from({ length: 6 }, async (_, w) => {
          for (let round = 0; round < 6 || (passes < 8 && round < 200); round++)
            await writeOrders(mixed, 2, w * 7 + round);
        }),
      ).finally(() => (writing = false));
      while (writing) {
        await (passes++ % 4 === 3 ? catchUp.rebuild('customer-exposure') : catchUp.run());
      }
      await writers;
      expect(passes).toBeGreaterThanOrEqual(8);
      // What a replica without the model wrote after the last pass is made up by the next one.
      await catchUp.run();
      const expected = await expectedExposure(db.dataSource);
      expect(expected.length).toBe(customers.length);
      expect(await exposureRows(db.dataSource)).toEqual(expected);
      // Every stream with an event the model reads is checkpointed at least up to it.
      const behind = await db.dataSource.query(
        `SELECT e.stream_id FROM events e
           LEFT JOIN inline_checkpoints c ON c.model = 'customer-exposure' AND c.stream_id = e.stream_id
          WHERE e.type IN ('OrderPlaced', 'OrderShipped', 'OrderCancelled') AND e.version > COALESCE(c.version, 0)`,
      );
      expect(behind).toEqual([]);
    },
  );
});
