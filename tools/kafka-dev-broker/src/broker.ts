import type { GroupCoordinator } from './groups';
import { invalidTopicName, type Topic, type TopicRegistry } from './log/topic-registry';
import {
  INVALID_PARTITIONS,
  INVALID_TOPIC_EXCEPTION,
  NONE,
  TOPIC_ALREADY_EXISTS,
} from './protocol/error-codes';

export interface BrokerConfig {
  nodeId: number;
  /** Host written into metadata: where clients connect back to. */
  advertisedHost: string;
  defaultPartitions: number;
  /** Largest record batch accepted from a producer (message.max.bytes). */
  maxMessageBytes: number;
  clusterId: string;
  log: (line: string) => void;
}

export type CreateTopicResult =
  { errorCode: typeof NONE; topic: Topic } | { errorCode: number; message: string };

/** Broker-wide state shared by every connection: identity, topics, groups and producer ids. */
export class Broker {
  /** The bound port, known once listening. */
  port = 0;
  private nextProducerId: bigint;

  constructor(
    readonly config: BrokerConfig,
    readonly topics: TopicRegistry,
    readonly groups: GroupCoordinator,
  ) {
    // Ids continue after the highest one found in stored batches, so a restarted broker never hands a new
    // producer an id whose old sequence numbers are still on disk.
    this.nextProducerId = topics.maxProducerId() + 1n;
    if (this.nextProducerId < 1000n) this.nextProducerId = 1000n;
  }

  get nodeId(): number {
    return this.config.nodeId;
  }

  log(line: string): void {
    this.config.log(line);
  }

  allocateProducerId(): bigint {
    return this.nextProducerId++;
  }

  createTopic(name: string, partitions: number): CreateTopicResult {
    const invalid = invalidTopicName(name);
    if (invalid) return { errorCode: INVALID_TOPIC_EXCEPTION, message: invalid };
    if (this.topics.has(name))
      return { errorCode: TOPIC_ALREADY_EXISTS, message: `Topic '${name}' already exists.` };
    if (!Number.isInteger(partitions) || partitions < 1) {
      return {
        errorCode: INVALID_PARTITIONS,
        message: `Number of partitions must be at least 1, got ${partitions}.`,
      };
    }
    return { errorCode: NONE, topic: this.topics.create(name, partitions) };
  }
}
