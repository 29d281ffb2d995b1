// Large byte fields (record batches in fetch responses) are referenced rather than copied: the response is a
// list of chunks handed to the socket in one corked write.
const REFERENCE_THRESHOLD = 4096;

/** Encodes Kafka's primitive types into a growable buffer, collecting big payloads by reference. */
export class Writer {
  private readonly chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  private flushedBytes = 0;

  constructor(initialCapacity = 512) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  get length(): number {
    return this.flushedBytes + this.pos;
  }

  /** Makes room for n bytes and returns where they go. Call it before reading this.buf: it may replace it. */
  private reserve(n: number): number {
    const at = this.pos;
    if (at + n > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, at + n));
      this.buf.copy(grown, 0, 0, at);
      this.buf = grown;
    }
    this.pos = at + n;
    return at;
  }

  int8(value: number): this {
    const at = this.reserve(1);
    this.buf.writeInt8(value, at);
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  int16(value: number): this {
    const at = this.reserve(2);
    this.buf.writeInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    const at = this.reserve(4);
    this.buf.writeInt32BE(value, at);
    return this;
  }

  uint32(value: number): this {
    const at = this.reserve(4);
    this.buf.writeUInt32BE(value, at);
    return this;
  }

  int64(value: bigint | number): this {
    const at = this.reserve(8);
    if (typeof value === 'bigint') {
      this.buf.writeBigInt64BE(value, at);
    } else {
      const high = Math.floor(value / 0x1_0000_0000);
      this.buf.writeInt32BE(high, at);
      this.buf.writeUInt32BE(value - high * 0x1_0000_0000, at + 4);
    }
    return this;
  }

  unsignedVarint(value: number): this {
    let v = value;
    while (v >= 0x80) {
      const at = this.reserve(1);
      this.buf[at] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    const at = this.reserve(1);
    this.buf[at] = v;
    return this;
  }

  varint(value: number): this {
    return this.unsignedVarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  string(value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.int16(length);
    const at = this.reserve(length);
    this.buf.write(value, at, length, 'utf8');
    return this;
  }

  nullableString(value: string | null): this {
    return value === null ? this.int16(-1) : this.string(value);
  }

  compactString(value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.unsignedVarint(length + 1);
    const at = this.reserve(length);
    this.buf.write(value, at, length, 'utf8');
    return this;
  }

  bytes(value: Buffer): this {
    this.int32(value.length);
    return this.raw(value);
  }

  nullableBytes(value: Buffer | null): this {
    return value === null ? this.int32(-1) : this.bytes(value);
  }

  /** Appends bytes as they are; big ones by reference, so the caller must not change them afterwards. */
  raw(value: Buffer): this {
    if (value.length >= REFERENCE_THRESHOLD) {
      this.flush();
      this.chunks.push(value);
      this.flushedBytes += value.length;
    } else if (value.length > 0) {
      const at = this.reserve(value.length);
      value.copy(this.buf, at);
    }
    return this;
  }

  array<T>(items: readonly T[], writeItem: (w: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, writeItem: (w: this, item: T) => void): this {
    return items === null ? this.int32(-1) : this.array(items, writeItem);
  }

  compactArray<T>(items: readonly T[], writeItem: (w: this, item: T) => void): this {
    this.unsignedVarint(items.length + 1);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** An empty tagged-field section. */
  emptyTaggedFields(): this {
    return this.int8(0);
  }

  private flush(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.flushedBytes += this.pos;
    // The flushed region stays referenced by the chunk list, so continue in a fresh buffer.
    this.buf = Buffer.allocUnsafe(Math.max(256, this.buf.length - this.pos));
    this.pos = 0;
  }

  /** The encoded bytes, as chunks to write in order. */
  toChunks(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
  }
}
