// Kafka plumbing: kafkajs clients wired to the service logger, topic creation, and a readiness check.
export * from './create-kafka';
export * from './topics';
export * from './topic-names';
