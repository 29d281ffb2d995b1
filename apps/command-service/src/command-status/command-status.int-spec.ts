import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CommandStatus } from '@tandem/contracts';
import { ConsistencyTokens, DEVELOPMENT_CONSISTENCY_TOKEN_SECRET } from '@tandem/platform/auth';
import { TestIssuer } from '@tandem/platform/auth/testing';
import { createLogger } from '@tandem/platform/observability';
import {
  createTestDatabase,
  startTestKafka,
  waitFor,
  type TestDatabase,
  type TestKafka,
} from '@tandem/platform/testing';
import { createCommandService } from '../command-service';
import { parseCommandServiceConfig } from '../config';

// Embedded PGlite and the dev broker start slowly on a busy machine.
jest.setTimeout(90_000);

/**
 * The command service's part of `GET /api/commands/{key}`, on a real write DB and Kafka (with its relay): what it
 * keeps of an accepted and of a refused command, who may ask, and that a refusal leaves the key free, so that a
 * retry with it is judged again.
 */
let database: TestDatabase;
let broker: TestKafka;
let app: INestApplication;
let base: string;
let issuer: TestIssuer;
let staff: { authorization: string };
const tokens = new ConsistencyTokens(DEVELOPMENT_CONSISTENCY_TOKEN_SECRET);

beforeAll(async () => {
  issuer = await TestIssuer.shared();
  staff = await issuer.staffHeaders();
  database = await createTestDatabase('command_status');
  broker = await startTestKafka('command_status');
  const config = parseCommandServiceConfig({
    WRITE_DATABASE_URL: database.url,
    KAFKA_BROKERS: broker.bootstrap,
    KAFKA_TOPIC_PREFIX: broker.prefix,
    TOPIC_PARTITIONS: '3',
    LOG_LEVEL: 'silent',
    ...issuer.env,
  });
  ({ app } = await createCommandService(config, createLogger('command-status-test', 'silent'), {
    pollIntervalMs: 50,
  }));
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
  await broker?.stop();
  await database?.drop();
});

async function send(method: string, path: string, key: string, body?: unknown, as = staff) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...as,
      'idempotency-key': key,
      // JSON even without a body: a bodiless POST must not be a CORS simple request.
      ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function status(key: string, as = staff) {
  const response = await fetch(`${base}/api/commands/${encodeURIComponent(key)}`, { headers: as });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status === 200) CommandStatus.parse(body);
  return { status: response.status, body };
}

async function customer(): Promise<string> {
  const answer = await send('POST', '/api/customers', randomUUID(), {
    name: 'Status',
    email: `status+${randomUUID().slice(0, 8)}@example.com`,
    currency: 'EUR',
    creditLimit: 1000,
  });
  return answer.body['id'] as string;
}

describe('GET /api/commands/{key} on the command service', () => {
  it('shows an accepted command committed with its events, then published once the relay sent them', async () => {
    const key = randomUUID();
    const created = await send('POST', '/api/orders', key, { customerId: await customer() });
    expect(created.status).toBe(201);
    const first = await status(key);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      idempotencyKey: key,
      answer: { id: created.body['id'], version: 1 },
      events: [{ type: 'OrderCreated', streamId: created.body['id'], version: 1 }],
    });
    const published = await waitFor(async () => {
      const now = await status(key);
      return now.body['status'] === 'published' ? now.body : undefined;
    });
    expect(published['publishedAt']).toEqual(expect.any(String));
    // The token in the answer is issued to the caller asking: it reads as staff-test's.
    const token = tokens.read(
      (published['answer'] as { consistencyToken: string }).consistencyToken,
      'staff-test',
    );
    expect(token).toEqual({ kind: 'order', streamId: created.body['id'], version: 1 });
  });

  it('keeps a refusal with its problem outside the transaction, so a retry under the key is judged again', async () => {
    const order = (await send('POST', '/api/orders', randomUUID(), { customerId: await customer() })).body[
      'id'
    ];
    const key = randomUUID();
    expect((await send('POST', `/api/orders/${order}/place`, key)).status).toBe(409);
    expect((await status(key)).body).toMatchObject({
      status: 'rejected',
      attempts: 1,
      problem: {
        code: 'order.no-lines',
        status: 409,
        orderId: order,
        instance: `/api/orders/${order}/place`,
      },
    });
    expect((await send('POST', `/api/orders/${order}/place`, key)).status).toBe(409);
    expect((await status(key)).body).toMatchObject({ status: 'rejected', attempts: 2 });

    await send('POST', `/api/orders/${order}/lines`, randomUUID(), { sku: 'A', quantity: 1, unitPrice: 1 });
    expect((await send('POST', `/api/orders/${order}/place`, key)).status).toBe(200);
    const accepted = await status(key);
    expect(accepted.body).toMatchObject({ status: expect.stringMatching(/^(committed|published)$/) });
    expect(accepted.body['problem']).toBeUndefined();
  });

  it('keeps a body refused by its schema too, and not a key reused with another body', async () => {
    const key = randomUUID();
    expect((await send('POST', '/api/orders', key, { customerId: 'not-a-uuid' })).status).toBe(400);
    expect((await status(key)).body).toMatchObject({
      status: 'rejected',
      problem: { code: 'request.invalid' },
    });

    const used = randomUUID();
    const id = await customer();
    expect((await send('POST', '/api/orders', used, { customerId: id })).status).toBe(201);
    expect((await send('POST', '/api/orders', used, { customerId: randomUUID() })).status).toBe(422);
    expect((await status(used)).body).toMatchObject({ answer: { version: 1 } });
    expect((await status(used)).body['problem']).toBeUndefined();
  });

  it('answers the sender and staff; another customer, an unknown key and none at all are alike 404', async () => {
    const sender = {
      authorization: await issuer.authorization({ subject: 'sender', email: 'sender@example.com' }),
    };
    const other = { authorization: await issuer.authorization({ subject: 'someone-else' }) };
    const key = randomUUID();
    const registered = await send(
      'POST',
      '/api/customers',
      key,
      { name: 'Sender', email: 'sender@example.com', currency: 'EUR', creditLimit: 10 },
      sender,
    );
    expect(registered.status).toBe(201);
    expect((await status(key, sender)).status).toBe(200);
    expect((await status(key, staff)).status).toBe(200);
    const theirs = await status(key, other);
    const unknown = await status(randomUUID(), other);
    expect([theirs.status, unknown.status]).toEqual([404, 404]);
    expect([theirs.body['code'], unknown.body['code']]).toEqual(['command.not-found', 'command.not-found']);
    expect((await status('with space')).body).toMatchObject({ code: 'request.invalid' });
  });
});
