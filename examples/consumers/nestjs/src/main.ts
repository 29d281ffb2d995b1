import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { KafkaEventTransport } from '@tandem/contracts/nest';
import { BillingModule } from './billing.module';

// Another team's NestJS consumer of Tandem's order events, through the transport of @tandem/contracts/nest:
//   KAFKA_BROKERS=127.0.0.1:9092 node -r @swc-node/register examples/consumers/nestjs/src/main.ts
export function billingTransport(env: NodeJS.ProcessEnv = process.env): KafkaEventTransport {
  return new KafkaEventTransport({
    kafka: { clientId: 'billing', brokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',') },
    groupId: env['GROUP_ID'] ?? 'billing.invoices',
    topics: [env['ORDER_TOPIC'] ?? 'orders.order.v1'],
    maxAttempts: 3,
  });
}

async function main(): Promise<void> {
  const app = await NestFactory.createMicroservice(BillingModule, { strategy: billingTransport() });
  app.enableShutdownHooks();
  await app.listen();
}

if (require.main === module) void main();
