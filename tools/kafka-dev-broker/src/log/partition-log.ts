import {
  baseOffset as readBaseOffset,
  baseSequence,
  lastOffsetDelta,
  maxTimestamp,
  producerEpoch,
  producerId,
  setBaseOffset,
} from '../protocol/record-batch';
import { findRecordAtOrAfter } from '../protocol/records';
import { addSequence, ProducerStateTable } from './producer-state';
import type { SegmentFile } from './segment-file';

interface LogEntry {
  baseOffset: number;
  /** Offset after the batch's last record. */
  nextOffset: number;
  size: number;
  maxTimestamp: number;
  /** Position in the segment file, -1 in memory-only mode. */
  filePosition: number;
  /** The stored batch, or null once only the segment file holds it. */
  data: Buffer | null;
}

export interface ReadResult {
  chunks: Buffer[];
  bytes: number;
}

const EMPTY_READ: ReadResult = { chunks: [], bytes: 0 };
const COMPACT_AFTER = 4096;
const DROP_REPORT_INTERVAL_MS = 60_000;

/**
 * One partition: batches stored as received (only baseOffset rewritten), an offset index over them, and the
 * idempotent-producer state. In memory the batches are bounded by `maxCachedBytes`: without a segment file the
 * oldest are dropped and the log start offset advances (retention); with one they only leave memory and are read
 * back from disk when a consumer asks for them.
 */
export class PartitionLog {
  logStartOffset = 0;
  logEndOffset = 0;
  readonly producers = new ProducerStateTable();
  private entries: LogEntry[] = [];
  /** First entry still in the log (memory-only retention advances it). */
  private head = 0;
  /** First entry whose data is in memory. */
  private cacheHead = 0;
  private cachedBytes = 0;
  private readonly listeners = new Set<() => void>();
  private lastDropReport = Number.NEGATIVE_INFINITY;
  private unreportedDropFrom: number | null = null;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly maxCachedBytes: number,
    private readonly segment: SegmentFile | null = null,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Rebuilds index and producer state from the segment file (a restart with a data dir). */
  loadFromSegment(): number {
    const segment = this.segment;
    if (!segment) return 0;
    const cut = segment.scan((header, position, size) => {
      const base = readBaseOffset(header);
      const next = base + lastOffsetDelta(header) + 1;
      if (this.entries.length === 0) this.logStartOffset = base;
      this.entries.push({
        baseOffset: base,
        nextOffset: next,
        size,
        maxTimestamp: maxTimestamp(header),
        filePosition: position,
        data: null,
      });
      this.logEndOffset = next;
      const pid = producerId(header);
      if (pid >= 0n) {
        const seq = baseSequence(header);
        this.producers.record(
          pid,
          producerEpoch(header),
          seq,
          addSequence(seq, lastOffsetDelta(header)),
          base,
        );
      }
    });
    this.cacheHead = this.entries.length;
    return cut;
  }

  /**
   * Stores one validated batch at the log end and returns its base offset. With `keepView` the batch is stored
   * as it is (its buffer is the request's own and holds little else); otherwise it is copied, so that a small
   * batch does not keep a large socket buffer alive.
   */
  append(batch: Buffer, keepView = false): number {
    let data = batch;
    if (!keepView) {
      data = Buffer.allocUnsafe(batch.length);
      batch.copy(data);
    }
    const base = this.logEndOffset;
    setBaseOffset(data, base);
    const next = base + lastOffsetDelta(data) + 1;
    const filePosition = this.segment ? this.segment.append(data) : -1;
    this.entries.push({
      baseOffset: base,
      nextOffset: next,
      size: data.length,
      maxTimestamp: maxTimestamp(data),
      filePosition,
      data,
    });
    this.logEndOffset = next;
    this.cachedBytes += data.length;
    if (this.cachedBytes > this.maxCachedBytes) this.evict();
    return base;
  }

  private evict(): void {
    const last = this.entries.length - 1;
    const droppedFrom = this.logStartOffset;
    while (this.cachedBytes > this.maxCachedBytes && this.cacheHead < last) {
      const entry = this.entries[this.cacheHead];
      this.cachedBytes -= entry.size;
      entry.data = null;
      this.cacheHead++;
      if (!this.segment) {
        this.head = this.cacheHead;
        this.logStartOffset = this.entries[this.head].baseOffset;
      }
    }
    if (!this.segment && this.logStartOffset > droppedFrom) this.reportDropped(droppedFrom);
    if (this.head > COMPACT_AFTER && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.cacheHead -= this.head;
      this.head = 0;
    }
  }

  /**
   * Loud on purpose (Apache Kafka with Tandem's retention.ms=-1 would have kept these records), but at most one
   * line a minute per partition, naming every offset dropped since the last.
   */
  private reportDropped(from: number): void {
    this.unreportedDropFrom ??= from;
    const now = Date.now();
    if (now - this.lastDropReport < DROP_REPORT_INTERVAL_MS) return;
    this.log(
      `DROPPED records ${this.unreportedDropFrom}..${this.logStartOffset - 1} of ${this.topic}-${this.partition}: ` +
        `more than maxBytesPerPartition=${this.maxCachedBytes} bytes in memory (start with a data dir, or ` +
        `without that limit, to keep everything)`,
    );
    this.lastDropReport = now;
    this.unreportedDropFrom = null;
  }

  /** Index of the entry holding `offset` (offset inside [logStartOffset, logEndOffset)). */
  private indexOf(offset: number): number {
    let lo = this.head;
    let hi = this.entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].nextOffset <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Whole batches from the one containing `offset`, up to `maxBytes`. With `minOne` the first batch is included
   * whatever its size (KIP-74), so a batch larger than every limit cannot stall a consumer.
   */
  read(offset: number, maxBytes: number, minOne: boolean): ReadResult {
    if (offset >= this.logEndOffset || offset < this.logStartOffset) return EMPTY_READ;
    const first = this.indexOf(offset);
    let end = first;
    let bytes = 0;
    while (end < this.entries.length) {
      const size = this.entries[end].size;
      if (bytes + size > maxBytes && !(minOne && end === first)) break;
      bytes += size;
      end++;
    }
    if (end === first) return EMPTY_READ;
    const chunks: Buffer[] = [];
    let i = first;
    while (i < end) {
      const entry = this.entries[i];
      if (entry.data) {
        chunks.push(entry.data);
        i++;
        continue;
      }
      // Consecutive batches on disk are contiguous in the file: one read for the run.
      let runBytes = 0;
      let j = i;
      while (j < end && !this.entries[j].data) runBytes += this.entries[j++].size;
      chunks.push(this.readSegment(entry.filePosition, runBytes));
      i = j;
    }
    return { chunks, bytes };
  }

  private readSegment(position: number, length: number): Buffer {
    if (!this.segment)
      throw new Error(`partition ${this.topic}-${this.partition}: batch neither in memory nor on disk`);
    return this.segment.read(position, length);
  }

  /** ListOffsets by time: the first record with a timestamp at or after `timestamp`. */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | null {
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (entry.maxTimestamp < timestamp) continue;
      const batch = entry.data ?? this.readSegment(entry.filePosition, entry.size);
      const found = findRecordAtOrAfter(batch, timestamp);
      if (found) return found;
    }
    return null;
  }

  /** Registers a callback run after new batches are appended (long-polling fetches). */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notifyAppend(): void {
    for (const listener of [...this.listeners]) listener();
  }

  close(): void {
    this.segment?.close();
    this.notifyAppend();
  }
}
