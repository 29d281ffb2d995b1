import { randomUUID } from 'node:crypto';
import { isProblem, TandemProblem, type components, type TandemClient } from '@tandem/client';
import type { Stack } from '@tandem/dev-stack';
import { waitFor } from '@tandem/platform/testing';
import { startE2eStack, type E2eStack } from './support';

/**
 * The walking skeleton end to end: the four services as separate OS processes, linked by Kafka, over two Postgres
 * databases; everything through the gateway, with the typed client (`@tandem/client`) a frontend would use.
 */
describe('walking skeleton', () => {
  let e2e: E2eStack;
  let stack: Stack;
  let tandem: TandemClient;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e');
    stack = e2e.stack;
    // Read-your-writes off: the reads below show the projections catching up by themselves.
    tandem = e2e.clientAs('staff1');
    tandem.consistency.clear();
  }, 150_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);

  it('registers a customer, creates an order and reads both back through the gateway', async () => {
    const email = `ada+${randomUUID().slice(0, 8)}@example.com`;
    const registered = await tandem.api.POST('/api/customers', {
      params: { header: { 'Idempotency-Key': randomUUID() } },
      body: { name: 'Ada Lovelace', email, currency: 'EUR', creditLimit: 100_000 },
    });
    expect(registered.response.status).toBe(201);
    const customer = registered.data;
    expect(customer).toEqual({ id: expect.any(String), version: 1, consistencyToken: expect.any(String) });
    expect(registered.response.headers.get('location')).toBe(`/api/customers/${customer?.id}`);
    const customerId = customer?.id ?? '';

    const order = await tandem.command((header) =>
      tandem.api.POST('/api/orders', { params: { header }, body: { customerId } }),
    );
    expect(order.version).toBe(1);
    tandem.consistency.clear();

    const started = Date.now();
    const read = await waitFor(
      async () => {
        const answer = await tandem.api.GET('/api/orders/{id}', { params: { path: { id: order.id } } });
        return answer.response.status === 200 ? answer : undefined;
      },
      { timeoutMs: 5000, intervalMs: 50, what: `order ${order.id} through the gateway` },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(read.data).toMatchObject({ id: order.id, customerId, status: 'draft', currency: 'EUR', total: 0 });
    expect(read.response.headers.get('x-data-as-of')).toEqual(expect.any(String));

    const customerRead = await waitFor(
      async () => {
        const answer = await tandem.api.GET('/api/customers/{id}', { params: { path: { id: customerId } } });
        return answer.response.status === 200 ? answer.data : undefined;
      },
      { timeoutMs: 5000, what: `customer ${customerId} through the gateway` },
    );
    expect(customerRead).toMatchObject({
      id: customerId,
      name: 'Ada Lovelace',
      email,
      currency: 'EUR',
      creditLimit: 100_000,
    });
  });

  describe('bad requests get a problem and write nothing', () => {
    /** The problem a call was answered with: a TandemProblem, thrown by `send`, with its body's members. */
    const problemOf = async (call: Promise<{ error?: unknown; response: Response }>, status: number) => {
      let thrown: unknown;
      try {
        await tandem.send(call);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TandemProblem);
      const problem = thrown as TandemProblem;
      expect(problem.status).toBe(status);
      expect(problem.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(problem.problem).toMatchObject({
        status,
        type: expect.any(String),
        title: expect.any(String),
        code: expect.any(String),
      });
      return problem;
    };
    /** A body the server must refuse: the client's types would not let it be written. */
    const untyped = (body: unknown) => body as components['schemas']['RegisterCustomerRequest'];
    const fieldsOf = (problem: TandemProblem) => (problem.problem.errors ?? []).map((e) => e.field).sort();

    it('malformed JSON', async () => {
      const problem = await problemOf(
        tandem.api.POST('/api/customers', {
          body: untyped({}),
          bodySerializer: () => '{"name": "Ada",',
        }),
        400,
      );
      expect(isProblem(problem, 'request.malformed-json')).toBe(true);
    });

    it('missing fields, each named', async () => {
      const problem = await problemOf(
        tandem.api.POST('/api/customers', { body: untyped({ name: 'Ada' }) }),
        400,
      );
      expect(problem.code).toBe('request.invalid');
      expect(fieldsOf(problem)).toEqual(['creditLimit', 'currency', 'email']);
    });

    it('wrong types', async () => {
      const problem = await problemOf(
        tandem.api.POST('/api/customers', {
          body: untyped({ name: 42, email: 'ada@example.com', currency: 'EUR', creditLimit: '100' }),
        }),
        400,
      );
      expect(fieldsOf(problem)).toEqual(['creditLimit', 'name']);
    });

    it('an order for an unknown customer', async () => {
      const problem = await problemOf(
        tandem.api.POST('/api/orders', { body: { customerId: randomUUID() } }),
        404,
      );
      expect(problem.code).toBe('customer.not-found');
    });

    it('an unknown order and an unknown customer', async () => {
      const order = await problemOf(
        tandem.api.GET('/api/orders/{id}', { params: { path: { id: randomUUID() } } }),
        404,
      );
      expect(order.code).toBe('order.not-found');
      const customer = await problemOf(
        tandem.api.GET('/api/customers/{id}', { params: { path: { id: randomUUID() } } }),
        404,
      );
      expect(customer.code).toBe('customer.not-found');
    });

    it('a malformed id', async () => {
      await problemOf(tandem.api.GET('/api/orders/{id}', { params: { path: { id: 'not-a-uuid' } } }), 400);
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
