import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ApacheKafkaUnavailable, ensureApacheKafka, type KafkaInstallation } from '@tandem/apache-kafka';
import { waitFor } from '@tandem/platform/testing';
import { call, ROOT, startE2eStack, type E2eStack } from './support';

/**
 * Another team's consumer, for real: examples/consumers/java/OrdersConsumer.java (kafka-clients, a JVM) group-reads
 * orders.order.v1 while commands go through the gateway, and must see every event, in version order per order, with
 * the headers docs/events.md promises. On Apache Kafka in CI, and on the dev broker when npm test reruns it there.
 */
interface JavaLine {
  key: string;
  partition: number;
  offset: number;
  ce_type: string;
  ce_subject: string;
  version: number;
  headers: Record<string, string>;
  /** What breaks the payload's JSON Schema (libs/contracts/schemas): nothing. */
  schemaErrors: string[];
  payload: Record<string, unknown>;
}

function findJava(): KafkaInstallation | null {
  try {
    return ensureApacheKafka();
  } catch (error) {
    if (!(error instanceof ApacheKafkaUnavailable) || process.env['CI']) throw error;
    console.warn(
      `Java or the Kafka jars are missing, so the Java consumer test is skipped: ${error.message}`,
    );
    return null;
  }
}

const java = findJava();
const describeJava = java ? describe : describe.skip;

describeJava('a Java consumer of orders.order.v1', () => {
  let e2e: E2eStack;
  let consumer: ChildProcess;
  const lines: JavaLine[] = [];
  let stderr = '';
  const correlationId = `java-consumer-${randomUUID()}`;

  beforeAll(async () => {
    if (!java) return;
    e2e = await startE2eStack('java_consumer');
    consumer = spawn(
      java.java,
      [
        '-cp',
        path.join(java.libDir, '*'),
        path.join(ROOT, 'examples/consumers/java/OrdersConsumer.java'),
        e2e.kafka.bootstrap,
        e2e.kafka.topic('orders.order.v1'),
        e2e.kafka.group('another-team'),
        path.join(ROOT, 'libs/contracts/schemas'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let pending = '';
    consumer.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      // Event lines are JSON objects; anything else on stdout (a logging default) is not ours to parse.
      for (const line of complete) if (line.startsWith('{"key"')) lines.push(JSON.parse(line) as JavaLine);
    });
    consumer.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  }, 180_000);

  afterAll(async () => {
    consumer?.kill('SIGKILL');
    await e2e?.stop();
  }, 60_000);

  async function command(method: string, url: string, body?: unknown): Promise<unknown> {
    const response = await call(method, `${e2e.api}${url}`, {
      body,
      headers: { 'idempotency-key': randomUUID(), 'x-correlation-id': correlationId },
    });
    if (response.status >= 300)
      throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  it('sees every order event in version order per order, with the documented CloudEvents headers', async () => {
    const customer = (await command('POST', '/customers', {
      name: 'Grace Hopper',
      email: `grace+${randomUUID().slice(0, 8)}@example.com`,
      currency: 'EUR',
      creditLimit: 1_000_000,
    })) as { id: string };
    const shipped = (await command('POST', '/orders', { customerId: customer.id })) as { id: string };
    const cancelled = (await command('POST', '/orders', { customerId: customer.id })) as { id: string };
    await command('POST', `/orders/${shipped.id}/lines`, { sku: 'BOOK-1', quantity: 2, unitPrice: 1999 });
    await command('POST', `/orders/${cancelled.id}/lines`, { sku: 'PEN-7', quantity: 1, unitPrice: 250 });
    await command('POST', `/orders/${shipped.id}/lines`, { sku: 'MUG-3', quantity: 1, unitPrice: 899 });
    await command('POST', `/orders/${shipped.id}/place`);
    await command('POST', `/orders/${cancelled.id}/place`);
    await command('POST', `/orders/${cancelled.id}/cancel`, { reason: 'changed my mind' });
    await command('POST', `/orders/${shipped.id}/ship`);

    const expected: Record<string, string[]> = {
      [shipped.id]: ['OrderCreated', 'OrderLineAdded', 'OrderLineAdded', 'OrderPlaced', 'OrderShipped'],
      [cancelled.id]: ['OrderCreated', 'OrderLineAdded', 'OrderPlaced', 'OrderCancelled'],
    };
    const ours = () => lines.filter((l) => l.key in expected);
    await waitFor(async () => (ours().length >= 9 ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: `9 events at the Java consumer (has ${ours().length}; its stderr: ${stderr.slice(-2000)})`,
    });

    for (const [orderId, types] of Object.entries(expected)) {
      const events = ours().filter((l) => l.key === orderId);
      // One partition per key, read in offset order: versions 1..n without gaps or repeats.
      expect(new Set(events.map((e) => e.partition)).size).toBe(1);
      expect(events.map((e) => e.offset)).toEqual([...events.map((e) => e.offset)].sort((a, b) => a - b));
      expect(events.map((e) => e.version)).toEqual(types.map((_, i) => i + 1));
      expect(events.map((e) => e.ce_type)).toEqual(types.map((t) => `tandem.orders.${t}.v1`));
      for (const event of events) {
        expect(event.ce_subject).toBe(orderId);
        expect(event.headers).toEqual({
          ce_specversion: '1.0',
          ce_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          ce_type: event.ce_type,
          ce_source: '/tandem/command-service',
          ce_subject: orderId,
          ce_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/),
          ce_streamversion: String(event.version),
          ce_correlationid: correlationId,
          ce_causationid: expect.any(String),
          'content-type': 'application/json',
          ...(event.headers['ce_traceparent'] === undefined
            ? {}
            : { ce_traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/) }),
        });
        expect(event.payload).toMatchObject({ orderId });
        expect(event.schemaErrors).toEqual([]);
      }
    }
    expect(new Set(ours().map((e) => e.headers['ce_id'])).size).toBe(9);
    expect(ours().find((e) => e.ce_type.includes('OrderCancelled'))?.payload).toMatchObject({
      reason: 'changed my mind',
    });

    // SIGTERM: the shutdown hook wakes the poll loop, which closes the consumer (leaving the group) before the JVM
    // exits with 143, the JVM's status for a SIGTERM it handled.
    const exited = new Promise<number | null>((resolve) => consumer.once('exit', (code) => resolve(code)));
    consumer.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toContain('OrdersConsumer: closed');
  });
});
