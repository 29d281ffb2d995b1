import type { ConsumerConfig } from 'kafkajs';

/**
 * Short timeouts so rebalances happen in seconds. 6 s is the broker's (and Kafka's) minimum session timeout; a
 * short max wait keeps kafkajs heartbeating between fetches, as it only heartbeats from its fetch loop.
 */
export const REBALANCE_CONSUMER_CONFIG: Omit<ConsumerConfig, 'groupId'> = {
  sessionTimeout: 6000,
  rebalanceTimeout: 10_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 200,
};
