import type { Request } from 'express';
import { principalOf } from '@tandem/platform/auth';

/** The per-stream limits of this replica's live streams (config: SSE_HEARTBEAT_SECONDS, SSE_MAX_BUFFERED_BYTES). */
export const LIVE_STREAM_LIMITS = Symbol('LIVE_STREAM_LIMITS');

export interface LiveStreamWriteLimits {
  heartbeatMs: number;
  maxBufferedBytes: number;
}

/**
 * `Last-Event-ID` of a reconnecting order stream: the version it last got, whose successors it is replayed; null
 * (none, or not a version) starts the stream at the order's current row.
 */
export function lastVersionOf(header: string | undefined): number | null {
  const value = header?.trim() ?? '';
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/** Whose stream it is, for the per-caller cap: the token's subject (a read route always has one). */
export function callerOf(request: Request): string {
  const principal = principalOf(request);
  if (principal === undefined) throw new Error('a live stream opened without an authenticated principal');
  return principal.subject;
}
