/**
 * The contract names topics (`orders.order.v1`); a deployment may put a prefix before them (`KAFKA_TOPIC_PREFIX`), so
 * that environments or test runs share one cluster. Code above the Kafka clients speaks contract names only; these
 * two functions are the only place where the names on the cluster are made or read.
 */
export interface TopicNames {
  readonly prefix: string;
  /** The cluster's name of a contract topic. */
  onCluster(topic: string): string;
  /** The contract's name of a topic on the cluster. */
  inContract(topic: string): string;
}

export function topicNames(prefix = ''): TopicNames {
  return {
    prefix,
    onCluster: (topic) => `${prefix}${topic}`,
    inContract: (topic) => {
      if (!topic.startsWith(prefix)) {
        throw new Error(`topic "${topic}" lacks this deployment's prefix "${prefix}"`);
      }
      return topic.slice(prefix.length);
    },
  };
}

/** No prefix: the contract's names are the cluster's. */
export const CONTRACT_TOPIC_NAMES: TopicNames = topicNames('');
