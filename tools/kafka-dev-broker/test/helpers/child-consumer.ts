// A kafkajs group consumer in its own process, so a test can kill it with SIGKILL: it then leaves no LeaveGroup
// behind and stops heartbeating, and only the session timeout can remove it. Reports each message over IPC.
import { kafkaClient } from './kafka';
import { REBALANCE_CONSUMER_CONFIG } from './rebalance-config';

async function main(): Promise<void> {
  const bootstrap = process.env.BOOTSTRAP ?? '';
  const topic = process.env.TOPIC ?? '';
  const consumer = kafkaClient(bootstrap, 'child-consumer').consumer({
    groupId: process.env.GROUP ?? '',
    ...REBALANCE_CONSUMER_CONFIG,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      process.send?.({ partition, offset: Number(message.offset), value: Number(message.value?.toString()) });
      await new Promise((resolve) => setTimeout(resolve, 1));
    },
  });
  process.send?.('running');
}

main().catch((err: unknown) => {
  process.stderr.write(`child consumer failed: ${String(err)}\n`);
  process.exit(1);
});
