import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import {
  BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSET_LENGTH,
  BATCH_OFFSET_MAGIC,
} from '../protocol/record-batch';

const SCAN_CHUNK = 1 << 20;

/**
 * One partition's batches, appended as stored (Kafka's own .log layout: batch after batch, no extra framing), so
 * the index can be rebuilt by walking the batch headers. Writes go straight to the OS: nothing is buffered in the
 * process, so a clean stop only needs to close the file.
 */
export class SegmentFile {
  private constructor(
    private fd: number,
    private size: number,
    readonly path: string,
  ) {}

  static open(path: string): SegmentFile {
    const fd = openSync(path, 'a+');
    return new SegmentFile(fd, fstatSync(fd).size, path);
  }

  /**
   * Calls onBatch with each batch's header (a view valid only during the call). A torn tail, left by a process
   * killed mid-write, is cut off so appends continue from the last whole batch. Returns the bytes cut.
   */
  scan(onBatch: (header: Buffer, position: number, size: number) => void): number {
    const chunk = Buffer.allocUnsafe(SCAN_CHUNK);
    let chunkStart = 0;
    let chunkLength = 0;
    let pos = 0;
    while (pos < this.size) {
      if (pos + BATCH_HEADER_SIZE > chunkStart + chunkLength) {
        chunkStart = pos;
        chunkLength = this.readInto(chunk, pos);
        if (chunkLength < BATCH_HEADER_SIZE) break;
      }
      const header = chunk.subarray(pos - chunkStart, pos - chunkStart + BATCH_HEADER_SIZE);
      const size = header.readInt32BE(BATCH_OFFSET_LENGTH) + BATCH_LOG_OVERHEAD;
      if (header[BATCH_OFFSET_MAGIC] !== 2 || size < BATCH_HEADER_SIZE || pos + size > this.size) break;
      onBatch(header, pos, size);
      pos += size;
    }
    const cut = this.size - pos;
    if (cut > 0) {
      ftruncateSync(this.fd, pos);
      this.size = pos;
    }
    return cut;
  }

  private readInto(target: Buffer, position: number): number {
    let filled = 0;
    while (filled < target.length) {
      const n = readSync(this.fd, target, filled, target.length - filled, position + filled);
      if (n === 0) break;
      filled += n;
    }
    return filled;
  }

  /** Appends and returns the position the bytes start at. */
  append(data: Buffer): number {
    const position = this.size;
    let written = 0;
    while (written < data.length) written += writeSync(this.fd, data, written, data.length - written);
    this.size += data.length;
    return position;
  }

  read(position: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    const n = this.readInto(out, position);
    return n === length ? out : out.subarray(0, n);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
