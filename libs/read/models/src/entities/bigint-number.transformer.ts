import type { ValueTransformer } from 'typeorm';

/**
 * pg returns bigint as a string. The bigint columns read as numbers hold one order's amounts (bounded by the write
 * side far below 2^53) or counts of events, so a JS number holds them exactly; sums over orders are numeric, read as
 * strings.
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
