// A relay in a process of its own, for crash tests: `CRASH_AFTER_PUBLISH=1` makes it die by SIGKILL right after
// Kafka acknowledged its first batch and before that batch is marked published.
import { createKafka, topicNames } from '@tandem/platform/kafka';
import { createLogger } from '@tandem/platform/observability';
import { KafkaOutboxPublisher } from '../outbox/kafka-outbox-publisher';
import { OutboxRelay } from '../outbox/outbox-relay';

const logger = createLogger('relay-process', 'warn');
const brokers = (process.env['RELAY_TEST_BROKERS'] ?? '').split(',');
const databaseUrl = process.env['RELAY_TEST_DATABASE_URL'] ?? '';
const crash = process.env['CRASH_AFTER_PUBLISH'] === '1';

const publisher = new KafkaOutboxPublisher(
  createKafka({ clientId: 'relay-process', brokers, logger }),
  topicNames(process.env['RELAY_TEST_TOPIC_PREFIX'] ?? ''),
);
const relay = new OutboxRelay({
  databaseUrl,
  publisher,
  logger,
  batchSize: 5,
  pollIntervalMs: 50,
  afterPublish: async () => {
    if (crash) process.kill(process.pid, 'SIGKILL');
  },
});
relay.start();
process.on('SIGTERM', () => {
  void relay.stop().then(() => publisher.close().then(() => process.exit(0)));
});
