import { sqlLiteral } from '@tandem/platform/sql';

// Every transaction that moves a projection's checkpoints also NOTIFYs this channel. PostgreSQL delivers a
// notification only when its transaction commits (and drops it on rollback), so a listener learns of checkpoints it
// can already read. The query service's reads that wait for a consistency token LISTEN here instead of polling.

export const CHECKPOINTS_CHANNEL = 'tandem_projection_checkpoints';

/**
 * PostgreSQL refuses payloads of 8000 bytes or more. A batch that moved more streams than fit (about 200 UUIDs)
 * notifies the projection alone, which means "any of its streams may have moved".
 */
const MAX_PAYLOAD_BYTES = 7_900;

/** What a notification says: which projection (its namespace) moved, and which streams, when they fit. */
export interface CheckpointNotice {
  projection: string;
  /** The streams whose checkpoints moved, or null: any of them may have. */
  streams: readonly string[] | null;
}

export function checkpointNoticePayload(projection: string, streams: readonly string[] | null): string {
  if (streams !== null) {
    const full = JSON.stringify({ p: projection, s: streams });
    if (Buffer.byteLength(full) < MAX_PAYLOAD_BYTES) return full;
  }
  return JSON.stringify({ p: projection });
}

/** The notice in a notification's payload, or null when it is not one (a payload of another version). */
export function parseCheckpointNotice(payload: string | undefined): CheckpointNotice | null {
  try {
    const value: unknown = JSON.parse(payload ?? '');
    if (typeof value !== 'object' || value === null) return null;
    const { p, s } = value as { p?: unknown; s?: unknown };
    if (typeof p !== 'string') return null;
    const streams = Array.isArray(s) && s.every((id) => typeof id === 'string') ? (s as string[]) : null;
    return { projection: p, streams };
  } catch {
    return null;
  }
}

/** The statement, with literals (for a simple query), that notifies a transaction's moved checkpoints. */
export function notifyCheckpointsStatement(projection: string, streams: readonly string[] | null): string {
  return `SELECT pg_notify(${sqlLiteral(CHECKPOINTS_CHANNEL)}, ${sqlLiteral(checkpointNoticePayload(projection, streams))})`;
}
