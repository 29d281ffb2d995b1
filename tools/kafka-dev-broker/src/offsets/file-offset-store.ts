import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OffsetStore } from '../groups';

type StoredOffset = Awaited<ReturnType<OffsetStore['load']>>[number];
/** One committed offset per line: [groupId, topic, partition, offset (decimal string), metadata]. */
type Line = [string, string, number, string, string | null];

const FILE = 'group-offsets.jsonl';
const FLUSH_DELAY_MS = 50;

function parseLine(text: string): StoredOffset | null {
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value) || value.length !== 5) return null;
    const [groupId, topic, partition, offset, metadata] = value as unknown[];
    if (typeof groupId !== 'string' || typeof topic !== 'string' || typeof partition !== 'number')
      return null;
    if (typeof offset !== 'string' || (metadata !== null && typeof metadata !== 'string')) return null;
    return { groupId, topic, partition, offset: BigInt(offset), metadata };
  } catch {
    return null;
  }
}

function formatLine(e: StoredOffset): string {
  const line: Line = [e.groupId, e.topic, e.partition, e.offset.toString(), e.metadata];
  return JSON.stringify(line) + '\n';
}

/**
 * Committed offsets in an append-only JSON-lines file, compacted to the latest value per partition at load.
 * Commits arrive often (kafkajs commits after every batch), so they are buffered briefly and written together;
 * `close()` writes whatever is pending.
 */
export class FileOffsetStore implements OffsetStore {
  private readonly path: string;
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(dataDir: string) {
    this.path = join(dataDir, FILE);
  }

  async load(): Promise<StoredOffset[]> {
    if (!existsSync(this.path)) return [];
    const latest = new Map<string, StoredOffset>();
    for (const text of readFileSync(this.path, 'utf8').split('\n')) {
      // A line cut short by a killed process is skipped; every earlier commit is intact.
      const entry = text ? parseLine(text) : null;
      if (entry) latest.set(JSON.stringify([entry.groupId, entry.topic, entry.partition]), entry);
    }
    const entries = [...latest.values()];
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, entries.map(formatLine).join(''));
    renameSync(tmp, this.path);
    return entries;
  }

  save(groupId: string, topic: string, partition: number, offset: bigint, metadata: string | null): void {
    this.pending.push(formatLine({ groupId, topic, partition, offset, metadata }));
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    appendFileSync(this.path, text);
  }

  close(): void {
    this.flush();
  }
}
