import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { call, startE2eStack, type E2eStack, type JsonResponse } from './support';

const PROJECTIONS = ['order-summary', 'customer-orders', 'daily-sales'];

/**
 * Issue 13's graceful shutdown, on real processes: SIGTERM to a service with requests in flight. The requests get
 * their real answers (no 5xx), the process exits 0 promptly (not after the 65 s keep-alive of its callers'
 * connections), the relay's batch is not cut (every event reaches its topic exactly once), the consumers commit and
 * leave their groups (no member left behind to wait out), and nothing is lost or applied twice.
 */
describe('graceful shutdown on SIGTERM', () => {
  let e2e: E2eStack;
  let writeDb: Client;
  let readDb: Client;
  let kafka: Kafka;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_shutdown');
    writeDb = new Client({ connectionString: e2e.stack.writeDatabaseUrl });
    await writeDb.connect();
    readDb = new Client({ connectionString: e2e.stack.readDatabaseUrl });
    await readDb.connect();
    kafka = new Kafka({ brokers: [e2e.kafka.bootstrap], logLevel: logLevel.NOTHING });
  }, 150_000);

  afterAll(async () => {
    await writeDb?.end();
    await readDb?.end();
    await e2e?.stop();
  }, 90_000);

  /** Every HTTP call of this file: the one place a bearer token will be added. */
  const send = (method: string, path: string, body?: unknown): Promise<JsonResponse> =>
    call(method, `${e2e.api}${path}`, {
      ...(body === undefined ? {} : { body }),
      headers: { 'idempotency-key': randomUUID() },
    });

  const created = async (path: string, body: unknown): Promise<string> => {
    const answer = await send('POST', path, body);
    if (answer.status !== 201)
      throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return (answer.body as { id: string }).id;
  };

  const newCustomer = () =>
    created('/customers', {
      name: 'Shutdown Test',
      email: `shutdown+${randomUUID().slice(0, 8)}@example.com`,
      currency: 'EUR',
      creditLimit: 1_000_000,
    });

  /** Resolves with the exit code, or fails after `ms`. */
  const exitWithin = async (exited: Promise<number | null>, ms: number): Promise<number | null> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        exited,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the process did not exit within ${ms} ms`)), ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  const until = async (probe: () => Promise<boolean>, ms: number, what: string): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!(await probe().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const ready = (url: string) => async () => (await fetch(`${url}/health/ready`)).ok;

  /** The ce_id of every record of an event topic, in offset order. */
  const topicEventIds = async (topic: string): Promise<string[]> => {
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(e2e.kafka.topic(topic));
    await admin.disconnect();
    const remaining = new Map(
      ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]),
    );
    const ids: string[] = [];
    if (remaining.size === 0) return ids;
    const consumer = kafka.consumer({ groupId: e2e.kafka.group(`shutdown-reader-${randomUUID()}`) });
    await consumer.connect();
    await consumer.subscribe({ topic: e2e.kafka.topic(topic), fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          ids.push(String(message.headers?.['ce_id'] ?? ''));
          if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
          if (remaining.size === 0) resolve();
        },
      });
    });
    await consumer.disconnect();
    return ids;
  };

  it('the command service answers the requests in flight, lets the relay finish and exits 0 at once', async () => {
    const customerId = await newCustomer();
    const orderId = await created('/orders', { customerId });
    // An uncommitted version 2 of the order: every append of version 2 waits for this transaction to end.
    await writeDb.query('BEGIN');
    await writeDb.query(
      `INSERT INTO events (stream_id, stream_type, version, event_id, type, data, metadata)
       VALUES ($1, 'Order', 2, $2, 'Held', '{}', '{}')`,
      [orderId, randomUUID()],
    );
    const inFlight = ['BOOK-1', 'BOOK-2', 'BOOK-3'].map((sku) =>
      send('POST', `/orders/${orderId}/lines`, { sku, quantity: 1, unitPrice: 100 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const victim = e2e.stack.processes['command-service'];
    const signalledAt = Date.now();
    victim.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await writeDb.query('ROLLBACK');

    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await exitWithin(victim.exited, 10_000)).toBe(0);
    const stoppedInMs = Date.now() - signalledAt;

    const service = e2e.stack.respawn('command-service');
    await until(ready(service.url), 30_000, 'command service ready again');
    await until(
      async () => (await writeDb.query(`SELECT 1 FROM outbox WHERE published_at IS NULL`)).rows.length === 0,
      15_000,
      'outbox drained',
    );
    const { rows } = await writeDb.query<{ version: number; type: string; event_id: string }>(
      `SELECT version, type, event_id FROM events WHERE stream_id = $1 ORDER BY version`,
      [orderId],
    );
    expect(rows.map((r) => `${r.version}:${r.type}`)).toEqual([
      '1:OrderCreated',
      '2:OrderLineAdded',
      '3:OrderLineAdded',
      '4:OrderLineAdded',
    ]);
    const onTopic = await topicEventIds('orders.order.v1');
    for (const row of rows) expect(onTopic.filter((id) => id === row.event_id)).toHaveLength(1);
    console.log(
      `command service: exited 0 ${stoppedInMs} ms after SIGTERM, its 3 requests in flight answered`,
    );
  }, 90_000);

  it('the projection service commits, leaves its consumer groups and exits 0; nothing lost or applied twice', async () => {
    const customerId = await newCustomer();
    const orders: string[] = [];
    let flowing = true;
    const failures: number[] = [];
    const flow = (async () => {
      while (flowing) {
        const answer = await send('POST', '/orders', { customerId });
        if (answer.status === 201) orders.push((answer.body as { id: string }).id);
        else failures.push(answer.status);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      await until(async () => orders.length >= 10, 20_000, 'orders flowing');
      const victim = e2e.stack.processes['projection-service'];
      const signalledAt = Date.now();
      victim.child.kill('SIGTERM');
      expect(await exitWithin(victim.exited, 10_000)).toBe(0);
      const stoppedInMs = Date.now() - signalledAt;
      // Right after the exit: had the members not left, they would still be listed until their sessions expired.
      const admin = kafka.admin();
      await admin.connect();
      const { groups } = await admin.describeGroups(
        PROJECTIONS.map((name) => `${e2e.kafka.serviceEnv.KAFKA_GROUP_PREFIX}.${name}`),
      );
      await admin.disconnect();
      expect(Object.fromEntries(groups.map((g) => [g.groupId, g.members.length]))).toEqual(
        Object.fromEntries(
          PROJECTIONS.map((name) => [`${e2e.kafka.serviceEnv.KAFKA_GROUP_PREFIX}.${name}`, 0]),
        ),
      );
      const service = e2e.stack.respawn('projection-service');
      await until(ready(service.url), 30_000, 'projection service ready again');
      console.log(
        `projection service: exited 0 ${stoppedInMs} ms after SIGTERM, no member left in its groups`,
      );
    } finally {
      flowing = false;
      await flow;
    }
    expect(failures).toEqual([]);
    await until(
      async () =>
        Number(
          (
            await readDb.query<{ n: string }>(
              `SELECT count(*) AS n FROM order_summary WHERE order_id = ANY($1::uuid[])`,
              [orders],
            )
          ).rows[0]?.n,
        ) === orders.length,
      30_000,
      'every order projected',
    );
    // Each OrderCreated counted once: a batch applied twice would count it twice.
    const { rows } = await readDb.query<{ draft_count: string }>(
      `SELECT draft_count::text FROM customer_orders WHERE customer_id = $1`,
      [customerId],
    );
    expect(rows[0]?.draft_count).toBe(String(orders.length));
  }, 120_000);
});
