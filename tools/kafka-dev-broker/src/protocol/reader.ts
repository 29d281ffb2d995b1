import { ProtocolError } from './protocol-error';

/**
 * Decodes Kafka's primitive types from one request frame. Every read is bounds-checked and fails with a
 * ProtocolError instead of a RangeError, so a truncated or hostile request closes its connection and nothing else.
 * Byte fields are returned as views into the frame (no copy): whoever keeps one beyond the request copies it.
 */
export class Reader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): number {
    const at = this.pos;
    if (n < 0 || at + n > this.end) {
      throw new ProtocolError(
        `truncated request: ${what} needs ${n} bytes at offset ${at}, ${this.end - at} left`,
      );
    }
    this.pos = at + n;
    return at;
  }

  skip(n: number): void {
    this.need(n, 'skip');
  }

  int8(): number {
    return this.buf.readInt8(this.need(1, 'int8'));
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2, 'int16'));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4, 'int32'));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.need(4, 'uint32'));
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8, 'int64'));
  }

  /** An int64 known to be an offset or timestamp: exact as a number below 2^53, which Kafka never reaches. */
  int64AsNumber(): number {
    const at = this.need(8, 'int64');
    return this.buf.readInt32BE(at) * 0x1_0000_0000 + this.buf.readUInt32BE(at + 4);
  }

  unsignedVarint(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf[this.need(1, 'varint')] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
      if (shift > 28) throw new ProtocolError('varint longer than 5 bytes');
    }
  }

  /** Zig-zag signed varint (record fields). */
  varint(): number {
    const raw = this.unsignedVarint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** Zig-zag signed varlong (record timestamps and offsets deltas). */
  varlong(): bigint {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.buf[this.need(1, 'varlong')] ?? 0;
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new ProtocolError('varlong longer than 10 bytes');
    }
    return (value >> 1n) ^ -(value & 1n);
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new ProtocolError('null where a string is required');
    return value;
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const at = this.need(length, 'string');
    return this.buf.toString('utf8', at, at + length);
  }

  bytes(): Buffer {
    const value = this.nullableBytes();
    if (value === null) throw new ProtocolError('null where bytes are required');
    return value;
  }

  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    const at = this.need(length, 'bytes');
    return this.buf.subarray(at, at + length);
  }

  array<T>(readItem: (r: Reader) => T): T[] {
    const value = this.nullableArray(readItem);
    if (value === null) throw new ProtocolError('null where an array is required');
    return value;
  }

  nullableArray<T>(readItem: (r: Reader) => T): T[] | null {
    const count = this.int32();
    if (count < 0) return null;
    return this.items(count, readItem);
  }

  private items<T>(count: number, readItem: (r: Reader) => T): T[] {
    // Every element takes at least one byte: a count beyond that is garbage, refused before allocating for it.
    if (count > this.remaining())
      throw new ProtocolError(`array of ${count} items in ${this.remaining()} bytes`);
    const out = new Array<T>(count);
    for (let i = 0; i < count; i++) out[i] = readItem(this);
    return out;
  }

  // Compact (flexible-version, KIP-482) forms store length + 1 as an unsigned varint, 0 meaning null.

  compactNullableString(): string | null {
    const length = this.unsignedVarint() - 1;
    if (length < 0) return null;
    const at = this.need(length, 'compact string');
    return this.buf.toString('utf8', at, at + length);
  }

  compactString(): string {
    const value = this.compactNullableString();
    if (value === null) throw new ProtocolError('null where a compact string is required');
    return value;
  }

  compactNullableBytes(): Buffer | null {
    const length = this.unsignedVarint() - 1;
    if (length < 0) return null;
    const at = this.need(length, 'compact bytes');
    return this.buf.subarray(at, at + length);
  }

  compactArray<T>(readItem: (r: Reader) => T): T[] {
    const count = this.unsignedVarint() - 1;
    if (count < 0) throw new ProtocolError('null where a compact array is required');
    return this.items(count, readItem);
  }

  /** Skips a tagged-field section: none of the tags this broker reads carry anything it needs. */
  taggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint();
      this.skip(this.unsignedVarint());
    }
  }
}
