import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PartitionLog } from './partition-log';
import { SegmentFile } from './segment-file';

export interface Topic {
  name: string;
  partitions: PartitionLog[];
}

export interface TopicRegistryOptions {
  dataDir?: string;
  /** See DevBrokerOptions: a memory bound with a data dir, a retention limit without. */
  maxBytesPerPartition?: number;
  log: (line: string) => void;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_NAME_LENGTH = 249;
const TOPIC_META = 'topic.json';
/** With a data dir, batches beyond this leave memory (not the log) unless maxBytesPerPartition says otherwise. */
const DEFAULT_CACHE_BYTES_WITH_DATA_DIR = 64 * 1024 * 1024;

/** Kafka's topic name rule; also what makes a name safe as a directory name. Returns why a name is invalid. */
export function invalidTopicName(name: string): string | null {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name '${name}' is not allowed`;
  if (name.length > MAX_TOPIC_NAME_LENGTH)
    return `topic name longer than ${MAX_TOPIC_NAME_LENGTH} characters`;
  if (!TOPIC_NAME.test(name))
    return `topic name '${name}' has characters other than ASCII alphanumerics, '.', '_', '-'`;
  return null;
}

/**
 * The topics and their partition logs. With a data dir each topic is a directory holding topic.json and one
 * segment file per partition.
 */
export class TopicRegistry {
  private readonly topics = new Map<string, Topic>();
  private readonly topicsDir: string | null;

  constructor(private readonly opts: TopicRegistryOptions) {
    this.topicsDir = opts.dataDir ? join(opts.dataDir, 'topics') : null;
  }

  load(): void {
    const dir = this.topicsDir;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).sort()) {
      const metaPath = join(dir, name, TOPIC_META);
      if (invalidTopicName(name) || !existsSync(metaPath)) continue;
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { partitions?: unknown };
      const count = typeof meta.partitions === 'number' ? meta.partitions : 0;
      const partitions: PartitionLog[] = [];
      for (let p = 0; p < count; p++) {
        const log = this.openPartition(name, p);
        const cut = log.loadFromSegment();
        if (cut > 0)
          this.opts.log(`topic ${name} partition ${p}: cut ${cut} bytes of an incomplete batch at the end`);
        partitions.push(log);
      }
      this.topics.set(name, { name, partitions });
    }
  }

  private openPartition(topic: string, partition: number): PartitionLog {
    const segment = this.topicsDir ? SegmentFile.open(join(this.topicsDir, topic, `${partition}.log`)) : null;
    const bound =
      this.opts.maxBytesPerPartition ??
      (segment ? DEFAULT_CACHE_BYTES_WITH_DATA_DIR : Number.POSITIVE_INFINITY);
    return new PartitionLog(topic, partition, bound, segment, this.opts.log);
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  has(name: string): boolean {
    return this.topics.has(name);
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  /** Creates a topic; the caller has checked the name and that it does not exist. */
  create(name: string, partitionCount: number): Topic {
    if (this.topicsDir) {
      const dir = join(this.topicsDir, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, TOPIC_META), JSON.stringify({ partitions: partitionCount }) + '\n');
    }
    const partitions: PartitionLog[] = [];
    for (let p = 0; p < partitionCount; p++) partitions.push(this.openPartition(name, p));
    const topic = { name, partitions };
    this.topics.set(name, topic);
    return topic;
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    // Closing wakes long-polling fetches on these partitions, which then answer UNKNOWN_TOPIC_OR_PARTITION.
    for (const partition of topic.partitions) partition.close();
    if (this.topicsDir) rmSync(join(this.topicsDir, name), { recursive: true, force: true });
    return true;
  }

  maxProducerId(): bigint {
    let max = -1n;
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) {
        const id = partition.producers.maxProducerId();
        if (id > max) max = id;
      }
    }
    return max;
  }

  close(): void {
    for (const topic of this.topics.values()) for (const partition of topic.partitions) partition.close();
  }
}
