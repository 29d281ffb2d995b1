// A single-node Kafka broker in TypeScript that speaks the real wire protocol, for development and tests without a JVM.
import { mkdirSync } from 'node:fs';
import { Broker } from './broker';
import { GroupCoordinator, type OffsetStore } from './groups';
import { TopicRegistry } from './log/topic-registry';
import { FileOffsetStore } from './offsets/file-offset-store';
import { MemoryOffsetStore } from './offsets/memory-offset-store';
import { BrokerServer } from './server';

export interface DevBrokerOptions {
  /** TCP port; 0 picks a free one. Default 9092. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /**
   * The port metadata tells clients to connect to, when it is not the one listened on: a TCP proxy's in front of the
   * broker (the fault tests cut the network there). Default: the port listened on.
   */
  advertisedPort?: number;
  /** Keep topics, batches and committed offsets here across restarts. Default: memory only. */
  dataDir?: string;
  /** Partitions of auto-created topics (and of CreateTopics asking for -1). Default 1. */
  defaultPartitions?: number;
  /**
   * Batch bytes kept in memory per partition. With a data dir older batches leave memory and are read back from
   * disk (default 64 MiB). Without one this is a retention limit: older batches are dropped, the log start offset
   * advances and the broker logs it. Default without a data dir: no limit, topics keep everything (as Tandem's
   * topics do on Apache Kafka, retention.ms=-1).
   */
  maxBytesPerPartition?: number;
  /**
   * Largest record batch a producer may send (Kafka's message.max.bytes); a larger one is refused with
   * MESSAGE_TOO_LARGE. Default 1048588, Apache Kafka's default (1 MiB plus the batch overhead).
   */
  maxMessageBytes?: number;
  /** Kafka's group.initial.rebalance.delay.ms. */
  initialRebalanceDelayMs?: number;
  /** Receives one line per failed connection, refused request and topic change. Default: stderr. */
  logger?: (line: string) => void;
}

export interface DevBroker {
  /** "127.0.0.1:PORT", for a client's brokers list. */
  readonly bootstrap: string;
  readonly host: string;
  readonly port: number;
  /** Closes every connection and the listener, then flushes the data dir. Safe to call twice. */
  stop(): Promise<void>;
}

const NODE_ID = 1;
const MAX_FRAME_BYTES = 100 * 1024 * 1024;
const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;

function defaultLogger(line: string): void {
  process.stderr.write(`[kafka-dev-broker] ${line}\n`);
}

function checkInteger(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`startDevBroker: ${name} must be an integer in ${min}..${max}, got ${value}`);
  }
}

export async function startDevBroker(opts: DevBrokerOptions = {}): Promise<DevBroker> {
  checkInteger('port', opts.port, 0, 65535);
  checkInteger('advertisedPort', opts.advertisedPort, 1, 65535);
  checkInteger('defaultPartitions', opts.defaultPartitions, 1, 10_000);
  checkInteger('maxBytesPerPartition', opts.maxBytesPerPartition, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('maxMessageBytes', opts.maxMessageBytes, 61, MAX_FRAME_BYTES);
  checkInteger('initialRebalanceDelayMs', opts.initialRebalanceDelayMs, 0, 600_000);
  const log = opts.logger ?? defaultLogger;
  const host = opts.host ?? '127.0.0.1';
  // Clients connect to what metadata advertises; a wildcard address is no place to connect to.
  const advertisedHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;

  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const topics = new TopicRegistry({
    dataDir: opts.dataDir,
    maxBytesPerPartition: opts.maxBytesPerPartition,
    log,
  });
  topics.load();
  const fileStore = opts.dataDir ? new FileOffsetStore(opts.dataDir) : null;
  const offsetStore: OffsetStore = fileStore ?? new MemoryOffsetStore();
  const groups = new GroupCoordinator({
    initialRebalanceDelayMs: opts.initialRebalanceDelayMs,
    offsetStore,
    log,
  });
  await groups.init();

  const broker = new Broker(
    {
      nodeId: NODE_ID,
      advertisedHost,
      defaultPartitions: opts.defaultPartitions ?? 1,
      maxMessageBytes: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      clusterId: 'kafka-dev-broker',
      log,
    },
    topics,
    groups,
  );
  const server = new BrokerServer(broker, { maxFrameBytes: MAX_FRAME_BYTES, log });
  let port: number;
  try {
    port = await server.listen(opts.port ?? 9092, host);
  } catch (err) {
    groups.close();
    topics.close();
    throw err;
  }
  // What metadata and FindCoordinator answer: clients connect there.
  broker.port = opts.advertisedPort ?? port;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await server.close();
      groups.close();
      fileStore?.close();
      topics.close();
    })();
    return stopping;
  };
  return { bootstrap: `${advertisedHost}:${port}`, host: advertisedHost, port, stop };
}
