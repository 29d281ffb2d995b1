import { randomUUID } from 'node:crypto';
import type { Stack } from '@tandem/dev-stack';
import { waitFor } from '@tandem/platform/testing';
import { call, startE2eStack, type E2eStack } from './support';

/**
 * The walking skeleton end to end: the four services as separate OS processes, linked by the dev Kafka broker,
 * over two Postgres databases; everything through the gateway.
 */
describe('walking skeleton', () => {
  let e2e: E2eStack;
  let stack: Stack;
  let api: string;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e');
    ({ stack, api } = e2e);
  }, 150_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);

  it('registers a customer, creates an order and reads both back through the gateway', async () => {
    const email = `ada+${randomUUID().slice(0, 8)}@example.com`;
    const registered = await call('POST', `${api}/customers`, {
      body: { name: 'Ada Lovelace', email, currency: 'EUR', creditLimit: 100_000 },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(registered.status).toBe(201);
    const customer = registered.body as { id: string; version: number; consistencyToken: string };
    expect(customer).toEqual({ id: expect.any(String), version: 1, consistencyToken: expect.any(String) });
    expect(registered.headers.get('location')).toBe(`/api/customers/${customer.id}`);

    const created = await call('POST', `${api}/orders`, {
      body: { customerId: customer.id },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(created.status).toBe(201);
    const order = created.body as { id: string; version: number };
    expect(order.version).toBe(1);

    const started = Date.now();
    const read = await waitFor(
      async () => {
        const response = await call('GET', `${api}/orders/${order.id}`);
        return response.status === 200 ? response : undefined;
      },
      { timeoutMs: 5000, intervalMs: 50, what: `order ${order.id} through the gateway` },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(read.body).toMatchObject({
      id: order.id,
      customerId: customer.id,
      status: 'draft',
      currency: 'EUR',
      total: 0,
    });
    expect(read.headers.get('x-data-as-of')).toEqual(expect.any(String));

    const customerRead = await waitFor(
      async () => {
        const response = await call('GET', `${api}/customers/${customer.id}`);
        return response.status === 200 ? response : undefined;
      },
      { timeoutMs: 5000, what: `customer ${customer.id} through the gateway` },
    );
    expect(customerRead.body).toMatchObject({
      id: customer.id,
      name: 'Ada Lovelace',
      email,
      currency: 'EUR',
      creditLimit: 100_000,
    });
  });

  describe('bad requests get a problem and write nothing', () => {
    const expectProblem = (response: { status: number; headers: Headers; body: unknown }, status: number) => {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status,
        type: expect.any(String),
        title: expect.any(String),
        code: expect.any(String),
      });
    };

    it('malformed JSON', async () => {
      const response = await call('POST', `${api}/customers`, { rawBody: '{"name": "Ada",' });
      expectProblem(response, 400);
    });

    it('missing fields, each named', async () => {
      const response = await call('POST', `${api}/customers`, { body: { name: 'Ada' } });
      expectProblem(response, 400);
      const fields = ((response.body as { errors: Array<{ field: string }> }).errors ?? [])
        .map((e) => e.field)
        .sort();
      expect(fields).toEqual(['creditLimit', 'currency', 'email']);
    });

    it('wrong types', async () => {
      const response = await call('POST', `${api}/customers`, {
        body: { name: 42, email: 'ada@example.com', currency: 'EUR', creditLimit: '100' },
      });
      expectProblem(response, 400);
      const fields = ((response.body as { errors: Array<{ field: string }> }).errors ?? [])
        .map((e) => e.field)
        .sort();
      expect(fields).toEqual(['creditLimit', 'name']);
    });

    it('an order for an unknown customer', async () => {
      const response = await call('POST', `${api}/orders`, { body: { customerId: randomUUID() } });
      expectProblem(response, 404);
    });

    it('an unknown order and an unknown customer', async () => {
      expectProblem(await call('GET', `${api}/orders/${randomUUID()}`), 404);
      expectProblem(await call('GET', `${api}/customers/${randomUUID()}`), 404);
    });

    it('a malformed id', async () => {
      expectProblem(await call('GET', `${api}/orders/not-a-uuid`), 400);
    });

    it('nothing of the rejected requests was written', async () => {
      const { Client } = await import('pg');
      const client = new Client({ connectionString: stack.writeDatabaseUrl });
      await client.connect();
      try {
        const customers = await client.query<{ n: string }>('SELECT count(*) AS n FROM customers');
        const outbox = await client.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
        // Only the first test's customer and order exist; every rejected request left no row behind.
        expect(Number(customers.rows[0]?.n)).toBe(1);
        expect(Number(outbox.rows[0]?.n)).toBeLessThanOrEqual(2);
      } finally {
        await client.end();
      }
    });
  });
});
