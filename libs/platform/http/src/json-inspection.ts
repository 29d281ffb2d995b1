import type { FieldError } from './problem';

/** Deeper than any body or query of this API needs; deep enough input would overflow recursive code on the way. */
export const MAX_JSON_DEPTH = 32;
const MAX_REPORTED = 20;

// A surrogate that is not half of a pair (with the `u` flag a pair is one code point, not `\p{Cs}`). PostgreSQL
// stores neither that nor NUL in text or jsonb: a value holding one would pass validation and fail at the INSERT.
const LONE_SURROGATE = /\p{Cs}/u;

export type JsonInspection =
  { ok: true } | { ok: false; tooDeep: true } | { ok: false; errors: FieldError[] };

/**
 * Checks parsed input (a JSON body, the query parameters) for what validation schemas cannot be trusted to see:
 * nesting deeper than MAX_JSON_DEPTH (refused before any recursive code walks it), strings or names that cannot be
 * stored, and numbers outside what JSON can carry exactly (`1e309` parses as Infinity, and is forwarded as null).
 * Iterative, so its own depth is no limit.
 */
export function inspectJson(root: unknown, maxDepth = MAX_JSON_DEPTH): JsonInspection {
  const errors: FieldError[] = [];
  const pending: Array<{ value: unknown; path: string[]; depth: number }> = [
    { value: root, path: [], depth: 0 },
  ];
  while (pending.length > 0 && errors.length < MAX_REPORTED) {
    const next = pending.pop();
    if (next === undefined) break;
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (!isStorableString(value)) errors.push({ field: fieldOf(path), message: UNSTORABLE_MESSAGE });
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) errors.push({ field: fieldOf(path), message: OUT_OF_RANGE_MESSAGE });
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= maxDepth) return { ok: false, tooDeep: true };
      const entries = Array.isArray(value)
        ? value.map((item, index) => [String(index), item] as const)
        : Object.entries(value);
      for (const [name, item] of entries.reverse()) {
        if (!isStorableString(name)) {
          errors.push({ field: fieldOf([...path, name]), message: `the name ${UNSTORABLE_MESSAGE}` });
        }
        pending.push({ value: item, path: [...path, name], depth: depth + 1 });
      }
    }
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

export const UNSTORABLE_MESSAGE = 'must not contain NUL (U+0000) or an unpaired surrogate (U+D800 to U+DFFF)';
export const OUT_OF_RANGE_MESSAGE = 'is out of range: a number must be finite (at most about 1.8e308)';

function fieldOf(path: string[]): string {
  return path.length === 0 ? '(body)' : path.join('.');
}

/** Whether a string can be stored as PostgreSQL text: for schemas of values that do not come through a body. */
export function isStorableString(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}
