import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { fromKafkaHeaders } from '@tandem/contracts';
import { createLogger } from '@tandem/platform/observability';
import {
  createTestDatabase,
  isRealPostgres,
  startTestKafka,
  waitFor,
  type TestDatabase,
  type TestKafka,
} from '@tandem/platform/testing';
import { createCommandService } from './command-service';
import { TestIssuer } from '@tandem/platform/auth/testing';
import { parseCommandServiceConfig } from './config';

// Embedded PGlite and the dev broker start slowly on a busy machine.
jest.setTimeout(90_000);

let database: TestDatabase;
let broker: TestKafka;
let app: INestApplication;
let base: string;
let sql: Client;
let issuer: TestIssuer;
let staff: { authorization: string };

beforeAll(async () => {
  issuer = await TestIssuer.shared();
  staff = await issuer.staffHeaders();
  database = await createTestDatabase('command_service');
  broker = await startTestKafka('command_service');
  const config = parseCommandServiceConfig({
    WRITE_DATABASE_URL: database.url,
    KAFKA_BROKERS: broker.bootstrap,
    KAFKA_TOPIC_PREFIX: broker.prefix,
    TOPIC_PARTITIONS: '3',
    IDEMPOTENCY_SWEEP_INTERVAL_MS: '200',
    LOG_LEVEL: 'silent',
    ...issuer.env,
  });
  ({ app } = await createCommandService(config, createLogger('command-service-test', 'silent'), {
    pollIntervalMs: 50,
  }));
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  sql = new Client({ connectionString: database.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await app?.close();
  await broker?.stop();
  await database?.drop();
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...staff,
      ...(body === undefined && method === 'GET' ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

async function count(table: string): Promise<number> {
  const result = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(result.rows[0]?.n);
}

const customerBody = () => ({
  name: 'Ann Example',
  email: `ann-${randomUUID()}@example.com`,
  currency: 'EUR',
  creditLimit: 100_000,
});

async function registerCustomer(): Promise<string> {
  const answer = await call('POST', '/api/customers', customerBody());
  expect(answer.status).toBe(201);
  return String(answer.body['id']);
}

async function createOrder(customerId: string): Promise<string> {
  const answer = await call('POST', '/api/orders', { customerId });
  expect(answer.status).toBe(201);
  return String(answer.body['id']);
}

describe('the command routes', () => {
  it('registers a customer: 201, Location, id, version and a consistency token', async () => {
    const answer = await call('POST', '/api/customers', customerBody());
    expect(answer.status).toBe(201);
    const id = String(answer.body['id']);
    expect(answer.headers.get('location')).toBe(`/api/customers/${id}`);
    expect(answer.body['version']).toBe(1);
    expect(typeof answer.body['consistencyToken']).toBe('string');
  });

  it('refuses a second customer with the same email in another case: 409', async () => {
    const body = customerBody();
    expect((await call('POST', '/api/customers', body)).status).toBe(201);
    const again = await call('POST', '/api/customers', { ...body, email: body.email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body['code']).toBe('customer.email-taken');
  });

  it('runs an order through its life: create, add, remove, place, ship', async () => {
    const customerId = await registerCustomer();
    const orderId = await createOrder(customerId);
    const add = await call('POST', `/api/orders/${orderId}/lines`, {
      sku: 'A-1',
      quantity: 2,
      unitPrice: 500,
    });
    expect(add.status).toBe(200);
    expect(add.body['version']).toBe(2);
    expect(add.headers.get('etag')).toBe('"2"');
    await call('POST', `/api/orders/${orderId}/lines`, { sku: 'B/2', quantity: 1, unitPrice: 1 });
    expect((await call('DELETE', `/api/orders/${orderId}/lines/${encodeURIComponent('B/2')}`)).status).toBe(
      200,
    );
    expect((await call('POST', `/api/orders/${orderId}/place`)).status).toBe(200);
    const ship = await call('POST', `/api/orders/${orderId}/ship`);
    expect(ship.status).toBe(200);
    expect(ship.body['version']).toBe(6);
    const cancel = await call('POST', `/api/orders/${orderId}/cancel`, { reason: 'too late' });
    expect(cancel.status).toBe(409);
    expect(cancel.body['code']).toBe('order.already-shipped');
  });

  it('refuses to place an order over the credit limit, and accepts it once the limit is raised', async () => {
    const customerId = await registerCustomer();
    const orderId = await createOrder(customerId);
    await call('POST', `/api/orders/${orderId}/lines`, { sku: 'BIG', quantity: 1, unitPrice: 200_000 });
    const refused = await call('POST', `/api/orders/${orderId}/place`);
    expect(refused.status).toBe(409);
    expect(refused.body['code']).toBe('order.credit-limit-exceeded');
    const raised = await call('PUT', `/api/customers/${customerId}/credit-limit`, { creditLimit: 300_000 });
    expect(raised.status).toBe(200);
    expect(raised.body['version']).toBe(2);
    expect((await call('POST', `/api/orders/${orderId}/place`)).status).toBe(200);
  });

  it('answers If-Match with a stale version 412 and writes nothing', async () => {
    const customerId = await registerCustomer();
    const orderId = await createOrder(customerId);
    const before = await count('events');
    const stale = await call(
      'POST',
      `/api/orders/${orderId}/lines`,
      { sku: 'A', quantity: 1, unitPrice: 1 },
      { 'if-match': '"7"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body['code']).toBe('precondition.version-mismatch');
    expect(await count('events')).toBe(before);
    const fresh = await call(
      'POST',
      `/api/orders/${orderId}/lines`,
      { sku: 'A', quantity: 1, unitPrice: 1 },
      { 'if-match': '"1"' },
    );
    expect(fresh.status).toBe(200);
  });

  it('replays a repeated Idempotency-Key and refuses the key for another body with 422', async () => {
    const customerId = await registerCustomer();
    const key = randomUUID();
    const first = await call('POST', '/api/orders', { customerId }, { 'idempotency-key': key });
    const again = await call('POST', '/api/orders', { customerId }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await call('POST', '/api/orders', { customerId: randomUUID() }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body['code']).toBe('idempotency.key-reused');
  });

  it('replays a key the previous version stored (its answer kept as status, Location and body) as it did', async () => {
    const customerId = await registerCustomer();
    const orderId = await createOrder(customerId);
    const requests: Array<[string, string, unknown]> = [
      ['POST', '/api/orders', { customerId }],
      ['POST', `/api/orders/${orderId}/lines`, { sku: 'OLD-1', quantity: 1, unitPrice: 5 }],
    ];
    for (const [method, path, body] of requests) {
      const key = randomUUID();
      const first = await call(method, path, body, { 'idempotency-key': key });
      // The row as the previous version wrote it: no `answer`, the HTTP answer in its own columns.
      await sql.query(
        `UPDATE idempotency_keys
            SET answer = NULL, response_status = $2, response_location = $3, response_body = $4
          WHERE key = $1`,
        [key, first.status, first.headers.get('location'), JSON.stringify(first.body)],
      );
      const again = await call(method, path, body, { 'idempotency-key': key });
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    }
  });

  // Concurrent transactions need a real server: PGlite serialises every connection through one session.
  (isRealPostgres() ? it : it.skip)(
    '10 concurrent identical POST /api/orders with one Idempotency-Key create one order',
    async () => {
      const customerId = await registerCustomer();
      const key = randomUUID();
      const before = await count('events');
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          call('POST', '/api/orders', { customerId }, { 'idempotency-key': key }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
      expect(new Set(answers.map((a) => a.body['id'])).size).toBe(1);
      expect(await count('events')).toBe(before + 1);
    },
  );

  (isRealPostgres() ? it : it.skip)(
    '50 concurrent AddOrderLine on one order: every line once, versions contiguous',
    async () => {
      const customerId = await registerCustomer();
      const orderId = await createOrder(customerId);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          call('POST', `/api/orders/${orderId}/lines`, { sku: `SKU-${i}`, quantity: 1, unitPrice: 10 }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      const rows = await sql.query<{ version: number; sku: string | null }>(
        `SELECT version, data->>'sku' AS sku FROM events WHERE stream_id = $1 ORDER BY version`,
        [orderId],
      );
      expect(rows.rows.map((r) => r.version)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
      const skus = rows.rows.slice(1).map((r) => r.sku);
      expect(new Set(skus).size).toBe(50);
      expect(new Set(answers.map((a) => a.body['version'])).size).toBe(50);
    },
  );
});

describe('bad input writes nothing', () => {
  const cases: Array<[string, string, string, unknown, number, string]> = [
    ['malformed JSON', 'POST', '/api/customers', '{"name": ', 400, 'request.malformed-json'],
    [
      'wrong types',
      'POST',
      '/api/customers',
      { name: 1, email: 'x', currency: 'EUR', creditLimit: '5' },
      400,
      'request.invalid',
    ],
    [
      'unknown currency',
      'POST',
      '/api/customers',
      { ...customerBody(), currency: 'XXQ' },
      400,
      'request.invalid',
    ],
    ['unknown customer', 'POST', '/api/orders', { customerId: randomUUID() }, 404, 'customer.not-found'],
    [
      'unknown order',
      'POST',
      `/api/orders/${randomUUID()}/lines`,
      { sku: 'A', quantity: 1, unitPrice: 1 },
      404,
      'order.not-found',
    ],
    ['an id that is no UUID', 'POST', '/api/orders/42/place', undefined, 400, 'request.invalid'],
    [
      'a body over 1 MB',
      'POST',
      '/api/customers',
      { ...customerBody(), name: 'x'.repeat(1024 * 1024) },
      413,
      'request.too-large',
    ],
  ];

  it.each(cases)('%s', async (_what, method, path, body, status, code) => {
    const before = [await count('events'), await count('customers'), await count('outbox')];
    const answer = await call(method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body['code']).toBe(code);
    expect([await count('events'), await count('customers'), await count('outbox')]).toEqual(before);
  });

  it('names each bad field, including a zero or negative quantity', async () => {
    const orderId = await createOrder(await registerCustomer());
    const answer = await call('POST', `/api/orders/${orderId}/lines`, {
      sku: 'A',
      quantity: 0,
      unitPrice: -1,
    });
    expect(answer.status).toBe(400);
    const fields = (answer.body['errors'] as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['quantity', 'unitPrice']);
  });

  it('stores SQL and script in strings as plain text', async () => {
    const name = `Robert'); DROP TABLE customers;-- <script>alert(1)</script>`;
    const answer = await call('POST', '/api/customers', { ...customerBody(), name });
    expect(answer.status).toBe(201);
    const row = await sql.query<{ name: string }>(`SELECT name FROM customers WHERE customer_id = $1`, [
      answer.body['id'],
    ]);
    expect(row.rows[0]?.name).toBe(name);
  });
});

describe('the relay', () => {
  it('publishes to Kafka with key = aggregate id, CloudEvents headers and the JSON payload', async () => {
    const customerId = await registerCustomer();
    const orderId = await createOrder(customerId);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traced = await call(
      'POST',
      `/api/orders/${orderId}/lines`,
      { sku: 'K-1', quantity: 3, unitPrice: 250 },
      { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    );
    const commandSpan = traced.headers.get('traceresponse');
    expect(commandSpan).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    const kafka = new Kafka({
      clientId: 'relay-test',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: broker.group(`relay-test-${randomUUID()}`) });
    const seen: Array<{
      topic: string;
      key: string;
      headers: ReturnType<typeof fromKafkaHeaders>;
      value: unknown;
    }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({
        topics: [
          broker.topic('orders.order.v1'),
          broker.topic('orders.order.v2'),
          broker.topic('orders.customer.v1'),
        ],
        fromBeginning: true,
      });
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          seen.push({
            topic,
            key: String(message.key),
            headers: fromKafkaHeaders(message.headers),
            value: JSON.parse(String(message.value)),
          });
        },
      });
      // At least once: a redelivered event may repeat, so count distinct event ids.
      // Topics are fetched independently, so wait for the customer's event as well.
      await waitFor(
        () =>
          new Set(seen.filter((m) => m.key === orderId).map((m) => `${m.topic} ${m.headers.id}`)).size >= 4 &&
          seen.some((m) => m.key === customerId),
        {
          what: 'order and customer events on Kafka',
          timeoutMs: 30_000,
        },
      );
    } finally {
      await consumer.disconnect();
    }
    // The deprecated topic carries v1, its successor the latest version: the same events, the same ids.
    const onTopic = (topic: string) =>
      seen.filter(
        (m, i) =>
          m.key === orderId &&
          m.topic === broker.topic(topic) &&
          seen.findIndex((o) => o.topic === m.topic && o.headers.id === m.headers.id) === i,
      );
    const order = onTopic('orders.order.v1');
    expect(order.map((m) => [m.topic, m.headers.type, m.headers.streamVersion, m.headers.subject])).toEqual([
      [broker.topic('orders.order.v1'), 'tandem.orders.OrderCreated.v1', 1, orderId],
      [broker.topic('orders.order.v1'), 'tandem.orders.OrderLineAdded.v1', 2, orderId],
    ]);
    expect(order[1]?.value).toEqual({ orderId, sku: 'K-1', quantity: 3, unitPrice: 250 });
    const latest = onTopic('orders.order.v2');
    expect(latest.map((m) => [m.headers.type, m.headers.streamVersion, m.headers.id])).toEqual([
      ['tandem.orders.OrderCreated.v1', 1, order[0]?.headers.id],
      ['tandem.orders.OrderLineAdded.v2', 2, order[1]?.headers.id],
    ]);
    expect(latest[1]?.value).toEqual({
      orderId,
      sku: 'K-1',
      quantity: 3,
      unitPrice: { amount: 250, currency: 'EUR' },
    });
    expect(order[0]?.headers.source).toBe('/tandem/command-service');
    // The event continues the trace of the request that caused it: its parent is the command service's span.
    expect(order[1]?.headers.traceparent).toBe(commandSpan);
    expect(order[0]?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(order[0]?.headers.traceparent?.slice(3, 35)).not.toBe(traceId);
    const customer = seen.find((m) => m.key === customerId);
    expect(customer?.topic).toBe(broker.topic('orders.customer.v1'));
    expect(customer?.headers.streamVersion).toBe(1);
  });
});

describe('the idempotency-key sweeper', () => {
  it('deletes keys past their retention (25 h by default) and keeps younger ones', async () => {
    const [old, young] = [`old-${randomUUID()}`, `young-${randomUUID()}`];
    await sql.query(
      `INSERT INTO idempotency_keys (key, fingerprint, created_at)
       VALUES ($1, 'f', now() - interval '25 hours 1 minute'), ($2, 'f', now() - interval '24 hours 59 minutes')`,
      [old, young],
    );
    const left = async () =>
      (
        await sql.query<{ key: string }>(`SELECT key FROM idempotency_keys WHERE key = ANY($1)`, [
          [old, young],
        ])
      ).rows.map((r) => r.key);
    await waitFor(async () => (await left()).length === 1, { what: 'the old key swept' });
    expect(await left()).toEqual([young]);
  });
});

describe('health', () => {
  it('is ready when the write DB and Kafka answer', async () => {
    const answer = await call('GET', '/health/ready');
    expect(answer.status).toBe(200);
  });
});

describe('callers the command service does not trust', () => {
  const body = { name: 'Mallory', email: 'mallory@example.com', currency: 'EUR', creditLimit: 1 };

  it('answers a request without credentials 401 with a Bearer challenge, and records nothing', async () => {
    const before = await count('outbox');
    const answer = await call('POST', '/api/customers', body, { authorization: '' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="tandem"');
    expect(answer.body).toMatchObject({ code: 'auth.token-missing' });
    expect(await count('outbox')).toBe(before);
  });

  it('answers a token from another issuer 401 invalid_token', async () => {
    const other = await TestIssuer.start();
    try {
      const answer = await call('POST', '/api/customers', body, {
        authorization: await other.authorization({ roles: ['staff'] }),
      });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    } finally {
      await other.stop();
    }
  });

  it("answers a customer's token on a staff command 403", async () => {
    const id = await registerCustomer();
    const answer = await call(
      'PUT',
      `/api/customers/${id}/credit-limit`,
      { creditLimit: 9_007_199_254_740_991 },
      { authorization: await issuer.authorization({ roles: ['customer'] }) },
    );
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: 'auth.forbidden' });
  });

  it("stores who issued each command in the event's metadata", async () => {
    const id = await registerCustomer();
    const order = await createOrder(id);
    const { rows } = await sql.query(`SELECT metadata FROM events WHERE stream_id = $1`, [order]);
    expect(rows[0]?.metadata).toMatchObject({ issuedBy: { subject: 'staff-test', roles: ['staff'] } });
  });
});
