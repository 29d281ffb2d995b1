import { isUuid } from './uuid';

/**
 * A consistency token names a stream and a version: "the read side has seen my write once this stream reached
 * this version". Opaque to clients (base64url JSON), so its format can change without breaking them.
 */
export type StreamKind = 'order' | 'customer';

export interface ConsistencyToken {
  kind: StreamKind;
  streamId: string;
  version: number;
}

export const CONSISTENCY_TOKEN_HEADER = 'x-consistency-token';

export function encodeConsistencyToken(token: ConsistencyToken): string {
  return Buffer.from(JSON.stringify({ k: token.kind, s: token.streamId, v: token.version })).toString(
    'base64url',
  );
}

/** Returns the token, or a message saying what is wrong with it. */
export function decodeConsistencyToken(raw: string): ConsistencyToken | { error: string } {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(raw)) return { error: 'consistency token is not base64url' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return { error: 'consistency token does not decode' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { error: 'consistency token does not decode' };
  const { k, s, v } = parsed as Record<string, unknown>;
  if (k !== 'order' && k !== 'customer') return { error: 'consistency token names an unknown stream kind' };
  if (!isUuid(s)) return { error: 'consistency token names an invalid stream id' };
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    return { error: 'consistency token carries an invalid version' };
  }
  return { kind: k, streamId: s, version: v };
}
