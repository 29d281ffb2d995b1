// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of record batch v2. zlib's crc32 uses the
// IEEE polynomial and would reject every batch. Slicing-by-16 over one flat table (16 x 256 entries): sixteen
// bytes per step keep the produce path cheap enough that the check never dominates the broker's CPU.
const POLY = 0x82f63b78;
const T = new Int32Array(16 * 256);

for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = T[n];
  for (let k = 1; k < 16; k++) {
    c = T[c & 0xff] ^ (c >>> 8);
    T[k * 256 + n] = c;
  }
}

/** CRC-32C of buf[start, end), as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = -1;
  let i = start;
  const fast = end - ((end - start) & 15);
  while (i < fast) {
    const a = crc ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
    const b = buf[i + 4] | (buf[i + 5] << 8) | (buf[i + 6] << 16) | (buf[i + 7] << 24);
    const c = buf[i + 8] | (buf[i + 9] << 8) | (buf[i + 10] << 16) | (buf[i + 11] << 24);
    crc =
      T[3840 + (a & 0xff)] ^
      T[3584 + ((a >>> 8) & 0xff)] ^
      T[3328 + ((a >>> 16) & 0xff)] ^
      T[3072 + (a >>> 24)] ^
      T[2816 + (b & 0xff)] ^
      T[2560 + ((b >>> 8) & 0xff)] ^
      T[2304 + ((b >>> 16) & 0xff)] ^
      T[2048 + (b >>> 24)] ^
      T[1792 + (c & 0xff)] ^
      T[1536 + ((c >>> 8) & 0xff)] ^
      T[1280 + ((c >>> 16) & 0xff)] ^
      T[1024 + (c >>> 24)] ^
      T[768 + buf[i + 12]] ^
      T[512 + buf[i + 13]] ^
      T[256 + buf[i + 14]] ^
      T[buf[i + 15]];
    i += 16;
  }
  while (i < end) {
    crc = T[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
    i++;
  }
  return (crc ^ -1) >>> 0;
}
