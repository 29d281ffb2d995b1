import type { ValueTransformer } from 'typeorm';

/** pg returns bigint as a string; money in minor units stays below 2^53, so a JS number holds it exactly. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
