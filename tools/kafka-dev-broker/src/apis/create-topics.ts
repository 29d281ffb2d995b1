import {
  INVALID_REPLICA_ASSIGNMENT,
  INVALID_REPLICATION_FACTOR,
  INVALID_REQUEST,
  NONE,
} from '../protocol/error-codes';
import type { Reader } from '../protocol/reader';
import type { ApiHandler, RequestContext } from './types';

interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: Array<{ partitionIndex: number; brokerIds: number[] }>;
}

interface Result {
  name: string;
  errorCode: number;
  message: string | null;
}

function readTopic(r: Reader): CreatableTopic {
  const name = r.string();
  const numPartitions = r.int32();
  const replicationFactor = r.int16();
  const assignments = r.array((x) => ({ partitionIndex: x.int32(), brokerIds: x.array((y) => y.int32()) }));
  r.array((x) => [x.string(), x.nullableString()]); // configs: accepted and ignored
  return { name, numPartitions, replicationFactor, assignments };
}

function create(ctx: RequestContext, topic: CreatableTopic, validateOnly: boolean): Result {
  const broker = ctx.broker;
  const { name } = topic;
  const fail = (errorCode: number, message: string): Result => {
    ctx.log(`refused to create topic ${JSON.stringify(name)}: ${message}`);
    return { name, errorCode, message };
  };
  let partitions = topic.numPartitions === -1 ? broker.config.defaultPartitions : topic.numPartitions;
  if (topic.assignments.length > 0) {
    const bad = topic.assignments.find((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== broker.nodeId);
    if (bad)
      return fail(
        INVALID_REPLICA_ASSIGNMENT,
        `partition ${bad.partitionIndex} must be assigned to broker ${broker.nodeId} only`,
      );
    partitions = topic.assignments.length;
  } else if (topic.replicationFactor > 1 || topic.replicationFactor === 0 || topic.replicationFactor < -1) {
    return fail(
      INVALID_REPLICATION_FACTOR,
      `Replication factor: ${topic.replicationFactor} larger than available brokers: 1.`,
    );
  }
  if (validateOnly) {
    if (broker.topics.has(name)) return fail(36, `Topic '${name}' already exists.`);
    return { name, errorCode: NONE, message: null };
  }
  const created = broker.createTopic(name, partitions);
  if ('message' in created) return fail(created.errorCode, created.message);
  ctx.log(`created topic ${name} with ${partitions} partitions`);
  return { name, errorCode: NONE, message: null };
}

export const createTopics: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  const topics = r.array(readTopic);
  r.int32(); // timeout: creation is immediate
  const validateOnly = version >= 1 ? r.boolean() : false;
  const counts = new Map<string, number>();
  for (const t of topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const results = topics.map((t) =>
    (counts.get(t.name) ?? 0) > 1
      ? { name: t.name, errorCode: INVALID_REQUEST, message: `Topic '${t.name}' appears more than once.` }
      : create(ctx, t, validateOnly),
  );
  return (w) => {
    if (version >= 2) w.int32(0);
    w.array(results, (out, res) => {
      out.string(res.name).int16(res.errorCode);
      if (version >= 1) out.nullableString(res.message);
    });
  };
};
