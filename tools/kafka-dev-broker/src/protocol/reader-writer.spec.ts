import { ProtocolError } from './protocol-error';
import { Reader } from './reader';
import { Writer } from './writer';

describe('Writer and Reader', () => {
  it('round-trip every primitive', () => {
    const w = new Writer(8);
    w.int8(-5).boolean(true).int16(-300).int32(-70000).uint32(0xfedcba98);
    w.int64(-1)
      .int64(2 ** 40 + 7)
      .int64(-(2n ** 62n));
    w.string('héllo')
      .nullableString(null)
      .bytes(Buffer.from([1, 2, 3]))
      .nullableBytes(null);
    w.array([1, 2, 3], (x, n) => x.int32(n)).nullableArray(null, (x, n: number) => x.int32(n));
    w.unsignedVarint(300).varint(-64).varint(63);
    w.compactString('flex')
      .compactArray(['a', 'b'], (x, s) => x.compactString(s))
      .emptyTaggedFields();

    const r = new Reader(w.toBuffer());
    expect([r.int8(), r.boolean(), r.int16(), r.int32(), r.uint32()]).toEqual([
      -5,
      true,
      -300,
      -70000,
      0xfedcba98,
    ]);
    expect(r.int64AsNumber()).toBe(-1);
    expect(r.int64AsNumber()).toBe(2 ** 40 + 7);
    expect(r.int64()).toBe(-(2n ** 62n));
    expect(r.string()).toBe('héllo');
    expect(r.nullableString()).toBeNull();
    expect([...r.bytes()]).toEqual([1, 2, 3]);
    expect(r.nullableBytes()).toBeNull();
    expect(r.array((x) => x.int32())).toEqual([1, 2, 3]);
    expect(r.nullableArray((x) => x.int32())).toBeNull();
    expect([r.unsignedVarint(), r.varint(), r.varint()]).toEqual([300, -64, 63]);
    expect(r.compactString()).toBe('flex');
    expect(r.compactArray((x) => x.compactString())).toEqual(['a', 'b']);
    r.taggedFields();
    expect(r.remaining()).toBe(0);
  });

  it('encodes varints as Kafka does (zig-zag, 7 bits per byte)', () => {
    expect([...new Writer().varint(0).toBuffer()]).toEqual([0]);
    expect([...new Writer().varint(-1).toBuffer()]).toEqual([1]);
    expect([...new Writer().varint(1).toBuffer()]).toEqual([2]);
    expect([...new Writer().varint(64).toBuffer()]).toEqual([0x80, 0x01]);
    expect([...new Writer().unsignedVarint(2 ** 31).toBuffer()]).toEqual([0x80, 0x80, 0x80, 0x80, 0x08]);
    expect(new Reader(Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x0f])).varlong()).toBe(2147483647n);
    expect(new Reader(Buffer.from([0x01])).varlong()).toBe(-1n);
  });

  it('keeps large byte fields by reference instead of copying them', () => {
    const big = Buffer.alloc(10_000, 7);
    const chunks = new Writer().int32(big.length).raw(big).int16(1).toChunks();
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(big);
  });

  it('refuses to read past the end with a ProtocolError', () => {
    expect(() => new Reader(Buffer.from([0, 0, 0])).int32()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0, 5, 65])).string()).toThrow(/truncated/);
    expect(() => new Reader(Buffer.from([0xff, 0xff])).string()).toThrow(/null where a string/);
    expect(() => new Reader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).unsignedVarint()).toThrow(
      ProtocolError,
    );
  });

  it('refuses an array count larger than the bytes left, before allocating', () => {
    const r = new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0]));
    expect(() => r.array((x) => x.int8())).toThrow(/array of 2147483647 items in 2 bytes/);
  });

  it('reads within the given window only', () => {
    const buf = Buffer.from([0, 0, 0, 1, 0, 0, 0, 2]);
    const r = new Reader(buf, 0, 4);
    expect(r.int32()).toBe(1);
    expect(() => r.int8()).toThrow(ProtocolError);
  });
});
