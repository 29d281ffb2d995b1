import type { INestMicroservice } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import type { ConsumedEvent } from '@tandem/contracts';
import { createKafka, ensureTopics, eventTopicSpecs, topicNames } from '@tandem/platform/kafka';
import { createLogger } from '@tandem/platform/observability';
import { startTestKafka, waitFor, type TestKafka } from '@tandem/platform/testing';
import { EVENT_SOURCE, KafkaOutboxPublisher, type OutboxMessage } from '@tandem/write/persistence';
import { BillingModule } from './billing.module';
import { Invoices } from './invoices';
import { billingTransport } from './main';

/**
 * The example NestJS app on a live stream: the command service's outbox publisher
 * sends order events to Kafka, the app's `@EventPattern` handlers invoice placed orders and void cancelled ones
 * through `@tandem/contracts/nest`, and skip the event types they do not handle.
 */
jest.setTimeout(90_000);

let kafka: TestKafka;
let app: INestMicroservice;
let invoices: Invoices;

beforeAll(async () => {
  kafka = await startTestKafka('nest_consumer_example');
  const client = createKafka({
    clientId: 'nest-example',
    brokers: [kafka.bootstrap],
    logger: createLogger('t', 'silent'),
  });
  await ensureTopics(client, eventTopicSpecs({ names: topicNames(kafka.prefix), partitions: 2 }));
  const moduleRef = await Test.createTestingModule({ imports: [BillingModule] }).compile();
  invoices = moduleRef.get(Invoices);
  app = moduleRef.createNestMicroservice({
    strategy: billingTransport({
      KAFKA_BROKERS: kafka.bootstrap,
      GROUP_ID: kafka.group('billing.invoices'),
      ORDER_TOPIC: kafka.topic('orders.order.v1'),
    }),
  });
  await app.listen();
});

afterAll(async () => {
  await app?.close();
  await kafka?.stop();
});

it('invoices placed orders and voids cancelled ones from the live stream', async () => {
  const names = topicNames(kafka.prefix);
  const client = createKafka({
    clientId: 'publisher',
    brokers: [kafka.bootstrap],
    logger: createLogger('t', 'silent'),
  });
  const publisher = new KafkaOutboxPublisher(client, names);
  const customerId = randomUUID();
  let position = 0;
  const stream = (orderId: string, events: ConsumedEvent[]): OutboxMessage[] =>
    events.map((event, i) => ({
      position: String(++position),
      topic: 'orders.order.v1',
      key: orderId,
      envelope: {
        id: randomUUID(),
        type: `tandem.orders.${event.type}.v1`,
        source: EVENT_SOURCE,
        subject: orderId,
        time: new Date().toISOString(),
        streamVersion: i + 1,
        correlationId: 'nest-example',
        causationId: randomUUID(),
      },
      payload: event.data,
    }));
  const [kept, voided] = [randomUUID(), randomUUID()];
  await publisher.publish(
    stream(kept, [
      { type: 'OrderCreated', data: { orderId: kept, customerId, currency: 'EUR' } },
      { type: 'OrderLineAdded', data: { orderId: kept, sku: 'BOOK-1', quantity: 2, unitPrice: 1999 } },
      { type: 'OrderPlaced', data: { orderId: kept, customerId, total: 3998, currency: 'EUR' } },
    ]),
  );
  await waitFor(() => invoices.issued.has(kept), { timeoutMs: 30_000, what: 'the first invoice' });
  await publisher.publish(
    stream(voided, [
      { type: 'OrderCreated', data: { orderId: voided, customerId, currency: 'EUR' } },
      { type: 'OrderPlaced', data: { orderId: voided, customerId, total: 0, currency: 'EUR' } },
      {
        type: 'OrderCancelled',
        data: {
          orderId: voided,
          customerId,
          reason: 'oops',
          previousStatus: 'placed',
          total: 0,
          currency: 'EUR',
        },
      },
    ]),
  );
  await waitFor(() => invoices.cancelled.has(voided), { timeoutMs: 30_000, what: 'the voided invoice' });
  await publisher.close();

  expect(invoices.issued.get(kept)).toMatchObject({
    orderId: kept,
    customerId,
    amount: 3998,
    currency: 'EUR',
  });
  expect([...invoices.issued.keys()].sort()).toEqual([kept, voided].sort());
  expect([...invoices.cancelled]).toEqual([voided]);
});
