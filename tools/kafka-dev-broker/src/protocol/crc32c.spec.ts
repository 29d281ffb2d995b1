import { crc32c } from './crc32c';

describe('crc32c', () => {
  // Check values from RFC 3720 (iSCSI), appendix B.4, and the common "123456789" check string.
  it.each([
    ['123456789', Buffer.from('123456789'), 0xe3069283],
    ['32 zero bytes', Buffer.alloc(32, 0), 0x8a9136aa],
    ['32 0xff bytes', Buffer.alloc(32, 0xff), 0x62a8ab43],
    ['bytes 0..31', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
    ['bytes 31..0', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
    ['nothing', Buffer.alloc(0), 0],
  ])('matches the known value for %s', (_name, bytes, expected) => {
    expect(crc32c(bytes)).toBe(expected);
  });

  it('gives the same result over a range as over a copy of it, whatever the alignment', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff));
    for (const [start, end] of [
      [0, 1000],
      [3, 997],
      [21, 38],
      [500, 501],
      [17, 17],
    ] as const) {
      expect(crc32c(data, start, end)).toBe(crc32c(Buffer.from(data.subarray(start, end))));
    }
  });
});
