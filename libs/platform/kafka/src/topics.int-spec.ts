import { ConfigResourceTypes } from 'kafkajs';
import { EVENT_TOPICS, TOPICS } from '@tandem/contracts';
import { createLogger } from '@tandem/platform/observability';
import { startTestKafka, type TestKafka } from '@tandem/platform/testing';
import { createKafka } from './create-kafka';
import { topicNames } from './topic-names';
import { deadLetterTopic, ensureTopics, eventTopicSpecs } from './topics';

/** Topics as code, applied in development: the declared topics exist with their declared settings. */
let broker: TestKafka;

beforeAll(async () => {
  broker = await startTestKafka('ensure_topics');
});
afterAll(() => broker?.stop());

it('creates every event topic and its dead-letter topic as libs/contracts declares them, once', async () => {
  const kafka = createKafka({
    clientId: 'topics-test',
    brokers: [broker.bootstrap],
    logger: createLogger('t', 'silent'),
  });
  const specs = eventTopicSpecs({ names: topicNames(broker.prefix), partitions: 2, deadLetters: true });
  expect(specs.map((s) => s.topic).sort()).toEqual(
    EVENT_TOPICS.flatMap((t) => [broker.topic(t), broker.topic(deadLetterTopic(t))]).sort(),
  );
  await ensureTopics(kafka, specs);
  await ensureTopics(kafka, specs); // existing topics are left as they are

  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
    for (const topic of topics) {
      expect(topic.partitions).toHaveLength(2);
      // One broker here: replication 3 is capped at 1.
      for (const partition of topic.partitions) expect(partition.replicas).toHaveLength(1);
    }
    // The dev broker keeps everything and has no configuration to describe; Apache Kafka says what it was given.
    if (process.env['TEST_KAFKA_BROKERS']) {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: specs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.topic })),
      });
      for (const resource of described.resources) {
        const config = Object.fromEntries(resource.configEntries.map((e) => [e.configName, e.configValue]));
        const declared = TOPICS[EVENT_TOPICS[0]];
        expect(config).toMatchObject({
          'retention.ms': String(declared.retentionMs),
          'retention.bytes': String(declared.retentionBytes),
          'cleanup.policy': declared.cleanupPolicy,
          // Declared 2, capped at the replication the cluster can give.
          'min.insync.replicas': '1',
        });
      }
    }
  } finally {
    await admin.disconnect();
  }
});
