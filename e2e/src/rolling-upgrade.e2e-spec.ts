// Longer than 300 lines because it is one scenario (a rolling upgrade, phase by phase, and what must hold after
// it on the event store, both topics, the read DB and a v1-only consumer); its process and Kafka plumbing is in
// rolling-upgrade.support.ts.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { parseEvent } from '@tandem/contracts';
import { DevTokens, startDevOidcProvider, type DevOidcProvider } from '@tandem/dev-oidc';
import {
  createTestDatabase,
  startTestKafka,
  waitFor,
  type TestDatabase,
  type TestKafka,
} from '@tandem/platform/testing';
import { previousRelease, type PreviousRelease } from './previous-release';
import {
  readTopic,
  startJavaConsumer,
  startService,
  topicIsEmpty,
  type JavaConsumer,
  type RunningService,
} from './rolling-upgrade.support';
import { builtApp, call } from './support';

/**
 * OrderLineAdded.v2, rolled out as production would (docs/services.md, "Rolling out OrderLineAdded.v2"): the
 * previous release's command service and projection service (built from its commit, `previous-release.ts`) run
 * beside this release's on one write DB, one read DB and the topics, with commands on the same orders going to both.
 *
 *  A. previous release alone: command service, projection service, and a Java consumer pinned to orders.order.v1;
 *  B. this release's command service joins (EVENT_VERSION_WRITTEN=1: it migrates the write DB, expand only, and
 *     writes v1 while the previous one can still load the streams), then its projection service (orders.order.v2);
 *  C. the previous command service stops: this one's relay takes over and fills orders.order.v2 from the outbox;
 *  D. this release again with EVENT_VERSION_WRITTEN=2 (a second rolling restart): OrderLineAdded.v2 is stored;
 *  E. the previous projection service stops.
 * Then nothing is lost (every event on both topics, in version order per order; every read model equal to what
 * the commands did, so nothing applied twice either), nothing dead-lettered, no stored row rewritten, and the Java
 * consumer saw every order event as v1.
 */
jest.setTimeout(600_000);

type Life = Array<'line' | 'remove' | 'place' | 'ship' | 'cancel'>;
interface Order {
  id: string;
  customer: Customer;
  life: Life;
  done: number;
  version: number;
  status: 'draft' | 'placed' | 'shipped' | 'cancelled';
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
}
interface Customer {
  id: string;
  currency: string;
}

const LIVES: Life[] = [
  ['line', 'line', 'remove', 'place', 'ship'],
  ['line', 'place', 'cancel'],
  ['line', 'line', 'cancel'],
  ['line', 'line', 'line', 'place'],
];

let previous: PreviousRelease;
let writeDb: TestDatabase;
let readDb: TestDatabase;
let kafka: TestKafka;
/** The identity provider this release's services trust; the previous release has no authentication. */
let identity: DevOidcProvider;
let tokens: DevTokens;
let java: JavaConsumer | null = null;
const services: RunningService[] = [];
const logs: string[] = [];
const customers: Customer[] = [];
const orders: Order[] = [];
let commandServices: RunningService[] = [];

beforeAll(async () => {
  builtApp('command-service');
  builtApp('projection-service');
  previous = previousRelease();
  if (previous.buildMs > 0) console.info(`previous release ${previous.sha} built in ${previous.buildMs} ms`);
  writeDb = await createTestDatabase('rolling_write');
  readDb = await createTestDatabase('rolling_read');
  kafka = await startTestKafka('rolling_upgrade', { initialRebalanceDelayMs: 0 });
  identity = await startDevOidcProvider({ port: 0, output: (line) => logs.push(`[identity] ${line}`) });
  tokens = new DevTokens(identity.issuer);
});

afterAll(async () => {
  java?.stop();
  await Promise.all(services.map((service) => service.stop()));
  await kafka?.stop();
  await identity?.stop();
  await writeDb?.drop();
  await readDb?.drop();
  if (process.env['E2E_SHOW_LOGS']) process.stdout.write(`${logs.join('\n')}\n`);
}, 120_000);

function env(extra: Record<string, string>): Record<string, string> {
  return {
    LOG_LEVEL: 'warn',
    TOPIC_PARTITIONS: '3',
    WRITE_DATABASE_URL: writeDb.url,
    READ_DATABASE_URL: readDb.url,
    ...kafka.serviceEnv,
    // Required by this release, unknown to (and ignored by) the previous one.
    AUTH_ISSUER: identity.issuer,
    AUTH_AUDIENCE: identity.audience,
    AUTH_JWKS_URL: identity.jwksUrl,
    // Several replicas of one service run side by side here: no metrics port, which they would share.
    METRICS_PORT: '0',
    ...extra,
  };
}

async function start(
  name: string,
  script: string,
  extra: Record<string, string> = {},
): Promise<RunningService> {
  const service = await startService({ name, script, env: env(extra), output: (line) => logs.push(line) });
  services.push(service);
  return service;
}

/**
 * Every command of the test goes through here, as staff1 (staff may send every command, shipping included): this
 * release checks the token, the previous one ignores it.
 */
async function command(
  service: RunningService,
  method: string,
  url: string,
  body?: unknown,
): Promise<unknown> {
  const response = await call(method, `${service.url}${url}`, {
    ...(body === undefined ? {} : { body }),
    headers: {
      'idempotency-key': randomUUID(),
      authorization: `Bearer ${await tokens.tokenFor('staff1')}`,
    },
  });
  if (response.status >= 300) {
    throw new Error(`${service.name} ${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

let turn = 0;
/**
 * The command services take turns: each order's next command goes to the other service than its last one did, so
 * that one release loads the streams the other wrote.
 */
function nextService(order?: Order): RunningService {
  const index = order ? orders.indexOf(order) + order.version : turn++;
  const service = commandServices[index % commandServices.length];
  if (!service) throw new Error('no command service is running');
  return service;
}

async function registerCustomer(currency: string): Promise<void> {
  const body = (await command(nextService(), 'POST', '/api/customers', {
    name: `Rolling ${currency}`,
    email: `rolling+${randomUUID().slice(0, 8)}@example.com`,
    currency,
    creditLimit: 100_000_000,
  })) as { id: string };
  customers.push({ id: body.id, currency });
}

async function createOrders(count: number, life?: Life): Promise<Order[]> {
  const created: Order[] = [];
  for (let i = 0; i < count; i++) {
    const customer = customers[orders.length % customers.length];
    const chosen = life ?? LIVES[orders.length % LIVES.length];
    if (!customer || !chosen) throw new Error('no customer or life');
    const body = (await command(nextService(), 'POST', '/api/orders', { customerId: customer.id })) as {
      id: string;
    };
    const order: Order = {
      id: body.id,
      customer,
      life: chosen,
      done: 0,
      version: 1,
      status: 'draft',
      lines: [],
    };
    orders.push(order);
    created.push(order);
  }
  return created;
}

/** The order's next step, on this command service. */
async function step(order: Order, service: RunningService): Promise<void> {
  const next = order.life[order.done];
  if (!next) throw new Error(`order ${order.id} has no step left`);
  const path = `/api/orders/${order.id}`;
  if (next === 'line') {
    const line = {
      sku: `SKU-${order.done}`,
      quantity: 1 + (order.done % 3),
      unitPrice: 250 + 7 * order.done,
    };
    await command(service, 'POST', `${path}/lines`, line);
    order.lines.push(line);
  } else if (next === 'remove') {
    const sku = order.lines[0]?.sku ?? '';
    await command(service, 'DELETE', `${path}/lines/${sku}`);
    order.lines = order.lines.filter((line) => line.sku !== sku);
  } else if (next === 'cancel') {
    await command(service, 'POST', `${path}/cancel`, { reason: 'rolling upgrade' });
    order.status = 'cancelled';
  } else {
    await command(service, 'POST', `${path}/${next}`);
    order.status = next === 'place' ? 'placed' : 'shipped';
  }
  order.done += 1;
  order.version += 1;
}

/** Takes each unfinished order one step further, on the next command service. */
async function advance(): Promise<void> {
  for (const order of orders) if (order.done < order.life.length) await step(order, nextService(order));
}

const totalOf = (order: Order) => order.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);

async function query<Row>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

it('upgrades the command and projection services one replica at a time: nothing lost, nothing dead-lettered', async () => {
  // A. The previous release alone.
  const oldCommands = await start('command-service@previous', previous.script('command-service'));
  const oldProjections = await start('projection-service@previous', previous.script('projection-service'));
  commandServices = [oldCommands];
  java = startJavaConsumer(kafka, 'orders.order.v1', 'another-team-v1');
  await registerCustomer('EUR');
  await registerCustomer('JPY');
  await createOrders(4);
  await advance();
  const writtenBefore = await query<Record<string, unknown>>(
    writeDb.url,
    `SELECT stream_id, version, type, data FROM events ORDER BY position`,
  );

  // B. This release beside it, writing v1 while the previous release may load the same streams.
  const newCommands = await start('command-service@v1-writer', builtApp('command-service'), {
    EVENT_VERSION_WRITTEN: '1',
  });
  commandServices = [oldCommands, newCommands];
  await advance();
  // Lines added by both releases, the order placed and cancelled by the previous one: its total must count them all.
  for (const order of await createOrders(2, ['line', 'line', 'place', 'cancel'])) {
    await step(order, newCommands);
    await step(order, oldCommands);
    await step(order, oldCommands);
    await step(order, oldCommands);
  }
  await createOrders(2);
  const newProjections = await start('projection-service', builtApp('projection-service'));
  await advance();

  // C. The previous command service goes: this release's relay takes over, publishing orders.order.v2 too.
  await oldCommands.stop();
  commandServices = [newCommands];
  await advance();

  // D. A second rolling restart, now writing v2: both replicas of this release read either.
  const v2Commands = await start('command-service@v2-writer', builtApp('command-service'));
  commandServices = [newCommands, v2Commands];
  await advance();
  await createOrders(2);
  await newCommands.stop();
  commandServices = [v2Commands];
  await advance();

  // E. The previous projection service goes.
  await oldProjections.stop();
  while (orders.some((order) => order.done < order.life.length)) await advance();

  // Every projection has applied every order to its last version (checkpoints are per projection and stream).
  await waitFor(
    async () => {
      const rows = await query<{ projection: string; stream_id: string; version: number }>(
        readDb.url,
        `SELECT projection, stream_id, version FROM projection_checkpoints WHERE stream_id = ANY($1)`,
        [orders.map((o) => o.id)],
      );
      return ['order-summary', 'customer-orders', 'daily-sales'].every((projection) =>
        orders.every((order) =>
          rows.some(
            (r) => r.projection === projection && r.stream_id === order.id && r.version === order.version,
          ),
        ),
      );
    },
    { what: 'every projection at every order’s last version', timeoutMs: 120_000, intervalMs: 250 },
  );

  // The event store: versions 1..n per order, the previous release's rows as it wrote them, v2 only since D.
  const stored = await query<{
    stream_id: string;
    version: number;
    type: string;
    schema_version: number;
    data: unknown;
  }>(writeDb.url, `SELECT stream_id, version, type, schema_version, data FROM events ORDER BY position`);
  for (const order of orders) {
    expect(stored.filter((e) => e.stream_id === order.id).map((e) => e.version)).toEqual(
      Array.from({ length: order.version }, (_, i) => i + 1),
    );
  }
  for (const before of writtenBefore) {
    expect(stored).toContainEqual(expect.objectContaining({ ...before, schema_version: 1 }));
  }
  const v2Rows = stored.filter((e) => e.schema_version === 2);
  expect(v2Rows.length).toBeGreaterThan(0);
  expect(new Set(v2Rows.map((e) => e.type))).toEqual(new Set(['OrderLineAdded']));

  // Both topics: every order event, once at least, first seen in version order; v1 on v1, the latest on v2.
  const topics = {
    v1: await readTopic(kafka, 'orders.order.v1', stored.length),
    v2: await readTopic(kafka, 'orders.order.v2', stored.length),
  };
  for (const [topic, messages] of Object.entries(topics)) {
    for (const order of orders) {
      const mine = messages.filter((m) => m.key === order.id);
      const versions = mine.map((m) => m.version).filter((v, i, all) => all.indexOf(v) === i);
      expect({ topic, order: order.id, versions }).toEqual({
        topic,
        order: order.id,
        versions: Array.from({ length: order.version }, (_, i) => i + 1),
      });
      for (const message of mine) {
        expect(parseEvent(message.type, message.payload)).toMatchObject({ ok: true });
        if (message.type.includes('OrderLineAdded')) {
          expect(message.type).toBe(`tandem.orders.OrderLineAdded.${topic}`);
          if (topic === 'v2')
            expect(message.payload).toMatchObject({ unitPrice: { currency: order.customer.currency } });
        } else {
          expect(message.type).toMatch(/\.v1$/);
        }
      }
    }
  }

  // The read models are what the commands did: nothing lost, nothing applied twice.
  const summaries = await query<{
    order_id: string;
    status: string;
    version: number;
    total: string;
    lines: unknown;
  }>(
    readDb.url,
    `SELECT order_id, status, version, total, lines FROM order_summary WHERE order_id = ANY($1)`,
    [orders.map((o) => o.id)],
  );
  for (const order of orders) {
    expect(summaries.find((s) => s.order_id === order.id)).toEqual({
      order_id: order.id,
      status: order.status,
      version: order.version,
      total: String(totalOf(order)),
      lines: order.lines,
    });
  }
  const counts = await query<Record<string, string>>(
    readDb.url,
    `SELECT customer_id, draft_count, placed_count, shipped_count, cancelled_count, lifetime_value
       FROM customer_orders WHERE customer_id = ANY($1)`,
    [customers.map((c) => c.id)],
  );
  for (const customer of customers) {
    const mine = orders.filter((o) => o.customer === customer);
    const count = (status: Order['status']) => String(mine.filter((o) => o.status === status).length);
    expect(counts.find((c) => c['customer_id'] === customer.id)).toEqual({
      customer_id: customer.id,
      draft_count: count('draft'),
      placed_count: count('placed'),
      shipped_count: count('shipped'),
      cancelled_count: count('cancelled'),
      lifetime_value: String(mine.filter((o) => o.status === 'shipped').reduce((s, o) => s + totalOf(o), 0)),
    });
  }
  const sales = await query<{ currency: string; placed: string; shipped: string; cancelled: string }>(
    readDb.url,
    `SELECT currency, sum(placed_count)::text AS placed, sum(shipped_count)::text AS shipped,
            sum(cancelled_count)::text AS cancelled FROM daily_sales GROUP BY currency ORDER BY currency`,
  );
  expect(sales).toEqual(
    customers
      .map((customer) => {
        const mine = orders.filter((o) => o.customer === customer);
        const ever = (step: Life[number]) => String(mine.filter((o) => o.life.includes(step)).length);
        return {
          currency: customer.currency,
          placed: ever('place'),
          shipped: ever('ship'),
          cancelled: ever('cancel'),
        };
      })
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  );

  // Nothing dead-lettered, nothing parked, nothing on a dead-letter topic.
  expect(await query(readDb.url, `SELECT projection, reason, error FROM dead_letters`)).toEqual([]);
  expect(await query(readDb.url, `SELECT projection, stream_id FROM projection_parked_events`)).toEqual([]);
  for (const topic of ['orders.order.v1', 'orders.order.v2', 'orders.customer.v1']) {
    expect({ topic, empty: await topicIsEmpty(kafka, `${topic}.dlq`) }).toEqual({ topic, empty: true });
  }

  // Another team's consumer pinned to orders.order.v1 (Java, kafka-clients) saw it all as v1, in order.
  if (java) {
    const seen = java;
    for (const order of orders) {
      await waitFor(
        () =>
          new Set(seen.lines.filter((l) => l.key === order.id).map((l) => l.version)).size === order.version,
        {
          what: `order ${order.id} at the Java consumer (its stderr: ${seen.stderr().slice(-1000)})`,
          timeoutMs: 60_000,
        },
      );
      const mine = seen.lines.filter((l) => l.key === order.id);
      expect(mine.map((l) => l.version).filter((v, i, all) => all.indexOf(v) === i)).toEqual(
        Array.from({ length: order.version }, (_, i) => i + 1),
      );
      expect(mine.every((l) => l.ce_type.endsWith('.v1'))).toBe(true);
    }
  }
  void newProjections;
});
