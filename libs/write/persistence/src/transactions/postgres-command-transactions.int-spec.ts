import { randomUUID } from 'node:crypto';
import type { OrderEvent } from '@tandem/contracts';
import { isRealPostgres } from '@tandem/platform/testing';
import type { CustomerState } from '@tandem/write/domain';
import { IdempotencyKeyReused } from '../errors/idempotency-key-reused.error';
import { WriteConflict } from '../errors/write-conflict.error';
import { Client } from 'pg';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { createWriteDataSource } from '../write-data-source';
import type { CommandAnswer, CommandOptions } from './command-transactions';
import { PostgresCommandTransactions } from './postgres-command-transactions';

// Embedded PGlite starts slowly on a busy machine.
jest.setTimeout(60_000);

let db: WriteTestDatabase;
let transactions: PostgresCommandTransactions;

beforeAll(async () => {
  db = await createWriteTestDatabase('write_tx');
  transactions = new PostgresCommandTransactions(db.dataSource);
});
afterAll(() => db.close());

const origin = (): CommandOptions => ({ correlationId: randomUUID(), commandId: randomUUID() });
const created = (orderId: string): OrderEvent => ({
  type: 'OrderCreated',
  data: { orderId, customerId: randomUUID(), currency: 'EUR' },
});
const lineAdded = (orderId: string, sku: string): OrderEvent => ({
  type: 'OrderLineAdded',
  data: { orderId, sku, quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } },
});
const ok = (id: string, version: number): CommandAnswer => ({
  outcome: 'changed',
  body: { id, version, consistencyToken: 'x' },
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = (await db.dataSource.query(sql, params)) as Array<{ n: string }>;
  return Number(row?.n ?? 0);
}

describe('event store', () => {
  it('appends events and enqueues each in the outbox with its envelope, in one transaction', async () => {
    const orderId = randomUUID();
    const options = origin();
    await transactions.run(options, async ({ orders }) =>
      ok(orderId, await orders.append(orderId, 0, [created(orderId), lineAdded(orderId, 'A')])),
    );

    const events = (await db.dataSource.query(
      `SELECT version, type, metadata FROM events WHERE stream_id = $1 ORDER BY version`,
      [orderId],
    )) as Array<{ version: number; type: string; metadata: { correlationId: string } }>;
    expect(events.map((e) => [e.version, e.type])).toEqual([
      [1, 'OrderCreated'],
      [2, 'OrderLineAdded'],
    ]);
    expect(events[0]?.metadata.correlationId).toBe(options.correlationId);

    const outbox = (await db.dataSource.query(
      `SELECT topic, message_key, envelope, payload FROM outbox WHERE message_key = $1 ORDER BY position`,
      [orderId],
    )) as Array<{ topic: string; envelope: { streamVersion: number; type: string; causationId: string } }>;
    expect(outbox.map((r) => [r.topic, r.envelope.streamVersion, r.envelope.type])).toEqual([
      ['orders.order.v1', 1, 'tandem.orders.OrderCreated.v1'],
      ['orders.order.v1', 2, 'tandem.orders.OrderLineAdded.v1'],
    ]);
    expect(outbox[0]?.envelope.causationId).toBe(options.commandId);

    const state = await transactions.run(origin(), async ({ orders }) => {
      const loaded = await orders.load(orderId);
      return ok(orderId, loaded?.version ?? 0);
    });
    expect(state.body.version).toBe(2);
  });

  it('refuses a second append after the same version: the stale writer is retried, then gives up', async () => {
    const orderId = randomUUID();
    await transactions.run(origin(), async ({ orders }) =>
      ok(orderId, await orders.append(orderId, 0, [created(orderId)])),
    );
    const stale = new PostgresCommandTransactions(db.dataSource, { maxAttempts: 3 });
    let attempts = 0;
    await expect(
      stale.run(origin(), async ({ orders }) => {
        attempts++;
        // Always appends after version 0, as if it never saw the committed OrderCreated.
        return ok(orderId, await orders.append(orderId, 0, [created(orderId)]));
      }),
    ).rejects.toBeInstanceOf(WriteConflict);
    expect(attempts).toBe(3);
    expect(await count(`SELECT count(*) AS n FROM events WHERE stream_id = $1`, [orderId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE message_key = $1`, [orderId])).toBe(1);
  });

  it('writes neither events nor outbox rows when the command fails after appending', async () => {
    const orderId = randomUUID();
    await expect(
      transactions.run(origin(), async ({ orders }) => {
        await orders.append(orderId, 0, [created(orderId)]);
        throw new Error('boom after append');
      }),
    ).rejects.toThrow('boom after append');
    expect(await count(`SELECT count(*) AS n FROM events WHERE stream_id = $1`, [orderId])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE message_key = $1`, [orderId])).toBe(0);
  });
});

describe('customer store', () => {
  const customer = (email: string): CustomerState => ({
    customerId: randomUUID(),
    name: 'Ann',
    email,
    currency: 'EUR',
    creditLimit: 5000,
    version: 1,
  });

  it('writes the row and its outbox event together, and neither when the transaction fails', async () => {
    const ann = customer(`ann-${randomUUID()}@example.com`);
    const { version: _v, ...data } = ann;
    await transactions.run(origin(), async ({ customers }) => {
      await customers.save(null, ann, [{ type: 'CustomerRegistered', data }]);
      return ok(ann.customerId, 1);
    });
    expect(await count(`SELECT count(*) AS n FROM customers WHERE customer_id = $1`, [ann.customerId])).toBe(
      1,
    );
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE message_key = $1`, [ann.customerId])).toBe(1);

    const bob = customer(`bob-${randomUUID()}@example.com`);
    const { version: _b, ...bobData } = bob;
    await expect(
      transactions.run(origin(), async ({ customers }) => {
        await customers.save(null, bob, [{ type: 'CustomerRegistered', data: bobData }]);
        throw new Error('fails after save');
      }),
    ).rejects.toThrow('fails after save');
    expect(await count(`SELECT count(*) AS n FROM customers WHERE customer_id = $1`, [bob.customerId])).toBe(
      0,
    );
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE message_key = $1`, [bob.customerId])).toBe(0);
  });

  it('treats emails case-insensitively and bumps the version on change', async () => {
    const email = `Cleo-${randomUUID()}@Example.com`;
    const cleo = customer(email);
    const { version: _c, ...data } = cleo;
    await transactions.run(origin(), async ({ customers }) => {
      await customers.save(null, cleo, [{ type: 'CustomerRegistered', data }]);
      return ok(cleo.customerId, 1);
    });
    await transactions.run(origin(), async ({ customers }) => {
      expect(await customers.isEmailTaken(email.toUpperCase())).toBe(true);
      const loaded = await customers.load(cleo.customerId);
      expect(loaded).toEqual(cleo);
      const next = { ...cleo, creditLimit: 10, version: 2 };
      await customers.save(cleo, next, [
        {
          type: 'CustomerCreditLimitChanged',
          data: { customerId: cleo.customerId, creditLimit: 10, previousCreditLimit: 5000 },
        },
      ]);
      return ok(cleo.customerId, 2);
    });
    const [row] = (await db.dataSource.query(
      `SELECT credit_limit, version FROM customers WHERE customer_id = $1`,
      [cleo.customerId],
    )) as Array<{ credit_limit: string; version: number }>;
    expect(row).toEqual({ credit_limit: '10', version: 2 });
  });
});

describe('idempotency keys', () => {
  it('returns the stored answer for a repeat, refuses a different request under the same key', async () => {
    const key = `key-${randomUUID()}`;
    const orderId = randomUUID();
    let runs = 0;
    const work = async ({ orders }: Parameters<Parameters<typeof transactions.run>[1]>[0]) => {
      runs++;
      return ok(orderId, await orders.append(orderId, 0, [created(orderId)]));
    };
    const first = await transactions.run({ ...origin(), idempotency: { key, fingerprint: 'f1' } }, work);
    const again = await transactions.run({ ...origin(), idempotency: { key, fingerprint: 'f1' } }, work);
    expect(runs).toBe(1);
    expect(again).toEqual({ ...first, replayed: true });
    await expect(
      transactions.run({ ...origin(), idempotency: { key, fingerprint: 'f2' } }, work),
    ).rejects.toBeInstanceOf(IdempotencyKeyReused);
  });

  it('keeps keys, fingerprints and answers with quotes and backslashes as they are', async () => {
    // BEGIN with the key's claim, and the answer with COMMIT, are sent as literals: nothing in them may escape.
    const key = `k'); DELETE FROM idempotency_keys; --\\ ${randomUUID()}`;
    const fingerprint = `f'\\"`;
    const orderId = randomUUID();
    const answer: CommandAnswer = {
      outcome: 'created',
      body: { id: orderId, version: 1, consistencyToken: `it's a \\ "token" ?q='\\` },
    };
    await transactions.run({ ...origin(), idempotency: { key, fingerprint } }, async ({ orders }) => {
      await orders.append(orderId, 0, [created(orderId)]);
      return answer;
    });
    const again = await transactions.run({ ...origin(), idempotency: { key, fingerprint } }, () =>
      Promise.reject(new Error('not run again')),
    );
    expect(again).toEqual({ ...answer, replayed: true });
    expect(await count(`SELECT count(*) AS n FROM idempotency_keys WHERE key = $1`, [key])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM idempotency_keys`)).toBeGreaterThan(1);
  });

  it.each([
    [201, 'created'],
    [200, 'changed'],
  ] as const)(
    'replays a key answered %s by the previous version, from the columns it stored',
    async (status, outcome) => {
      // Migration 1764500000000 kept those columns: a key stored before the upgrade replays as it did.
      const key = `key-${randomUUID()}`;
      const orderId = randomUUID();
      const body = { id: orderId, version: 1, consistencyToken: 'token' };
      await db.dataSource.query(
        `INSERT INTO idempotency_keys (key, fingerprint, response_status, response_location, response_body)
         VALUES ($1, 'f', $2, $3, $4)`,
        [key, status, status === 201 ? `/api/orders/${orderId}` : null, JSON.stringify(body)],
      );
      const again = await transactions.run({ ...origin(), idempotency: { key, fingerprint: 'f' } }, () =>
        Promise.reject(new Error('not run again')),
      );
      expect(again).toEqual({ outcome, body, replayed: true });
    },
  );

  it('forgets a key whose command failed, so the client can retry it', async () => {
    const key = `key-${randomUUID()}`;
    await expect(
      transactions.run({ ...origin(), idempotency: { key, fingerprint: 'f' } }, () =>
        Promise.reject(new Error('rule')),
      ),
    ).rejects.toThrow('rule');
    expect(await count(`SELECT count(*) AS n FROM idempotency_keys WHERE key = $1`, [key])).toBe(0);
  });

  // On PGlite a database-level default cannot be set apart from the server's.
  (isRealPostgres() ? it : it.skip)(
    'runs every command at READ COMMITTED, whatever the database default',
    async () => {
      const name = new URL(db.url).pathname.slice(1);
      await db.dataSource.query(
        `ALTER DATABASE "${name}" SET default_transaction_isolation = 'serializable'`,
      );
      // One connection: the command's transaction and the check below run on the same session.
      const fresh = createWriteDataSource({ url: db.url, poolSize: 1 });
      await fresh.initialize();
      try {
        const plain = new Client({ connectionString: db.url });
        await plain.connect();
        const [serverSide] = (await plain.query(`SHOW transaction_isolation`)).rows;
        await plain.end();
        expect(serverSide).toEqual({ transaction_isolation: 'serializable' });
        const orderId = randomUUID();
        await new PostgresCommandTransactions(fresh).run(origin(), async ({ orders }) =>
          ok(orderId, await orders.append(orderId, 0, [created(orderId)])),
        );
        expect(await fresh.query(`SHOW transaction_isolation`)).toEqual([
          { transaction_isolation: 'read committed' },
        ]);
      } finally {
        await fresh.destroy();
        await db.dataSource.query(`ALTER DATABASE "${name}" RESET default_transaction_isolation`);
      }
    },
  );

  // PGlite runs one session, so a second transaction cannot be in flight while the first holds the key.
  (isRealPostgres() ? it : it.skip)(
    'runs concurrent repeats once: the others wait and get the first answer',
    async () => {
      const key = `key-${randomUUID()}`;
      let runs = 0;
      const repeats = await Promise.all(
        Array.from({ length: 5 }, () =>
          transactions.run({ ...origin(), idempotency: { key, fingerprint: 'same' } }, async ({ orders }) => {
            runs++;
            const orderId = randomUUID();
            await new Promise((resolve) => setTimeout(resolve, 50));
            return ok(orderId, await orders.append(orderId, 0, [created(orderId)]));
          }),
        ),
      );
      expect(runs).toBe(1);
      expect(new Set(repeats.map((r) => r.body.id)).size).toBe(1);
    },
  );
});
