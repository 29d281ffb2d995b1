import { predecessorOf, EVENT_TOPICS } from '@tandem/contracts';
import { sqlLiteral } from '@tandem/platform/sql';
import type { IncomingMessage } from './incoming-message';
import type { Queryable } from './queryable';

// During a rebalance two members can briefly both hold a partition; a transaction-scoped advisory lock per
// partition makes the second wait, after which the checkpoints it reads make its batch a no-op. Both batch paths
// take them, always in the same order (so no deadlock).
//
// A topic that replaced another (orders.order.v2, orders.order.v1) is locked under the name of the one it replaced:
// it has the same partition count (the command service creates it so), so partition n holds the same keys on both,
// and the consumers of the two topics (the previous release's projections on v1, this one's on v2, during a rolling
// upgrade) never apply one stream at once. Their checkpoints then make the second application a duplicate.

/** The partitions of a batch, in the order their locks are taken. */
export function partitionsOf(messages: IncomingMessage[]): string[] {
  return [...new Set(messages.map(partitionOf))].sort();
}

/** A partition's name in its advisory lock's key. */
export function partitionOf(message: IncomingMessage): string {
  return `${lockedTopicOf(message.topic)}:${message.partition}`;
}

// Asked for every message of every batch, of a handful of topics.
const lockedTopics = new Map<string, string>();

/** The name a topic on the cluster (with this deployment's prefix) is locked under. */
function lockedTopicOf(clusterTopic: string): string {
  let locked = lockedTopics.get(clusterTopic);
  if (locked === undefined) {
    locked = replacedTopicOf(clusterTopic);
    lockedTopics.set(clusterTopic, locked);
  }
  return locked;
}

function replacedTopicOf(clusterTopic: string): string {
  for (const topic of EVENT_TOPICS) {
    const predecessor = predecessorOf(topic);
    if (predecessor && clusterTopic.endsWith(topic))
      return clusterTopic.slice(0, -topic.length) + predecessor;
  }
  return clusterTopic;
}

/** Takes the locks of the batch's partitions, one statement each, in the caller's transaction. */
export async function lockPartitions(
  db: Queryable,
  namespace: string,
  messages: IncomingMessage[],
): Promise<void> {
  for (const partition of partitionsOf(messages)) {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${namespace}/${partition}`]);
  }
}

/** The statement that takes one partition's lock, with literals, for a simple query. */
export function lockPartitionStatement(namespace: string, partition: string): string {
  return `SELECT pg_advisory_xact_lock(hashtext(${sqlLiteral(`${namespace}/${partition}`)}))`;
}
