import type { DataSource } from 'typeorm';
import type { CommandAnswer } from '../transactions/command-transactions';
import { storedAnswer, type StoredKey } from '../transactions/stored-answer';
import type { WrittenEvent } from '../transactions/written-events';

/** An event an accepted command recorded, with the time the relay had Kafka acknowledge it (null until then). */
export interface PublishedEvent extends WrittenEvent {
  publishedAt: string | null;
}

export interface AcceptedCommand {
  /** The subject of the token that sent it; null for a key stored before subjects were kept. */
  issuedBy: string | null;
  answer: CommandAnswer;
  /** Null for a key stored before events were kept with it (their publication is then unknown). */
  events: PublishedEvent[] | null;
  /** When its key was claimed, in the transaction that committed it. */
  claimedAt: string;
}

export interface RejectedCommand {
  issuedBy: string | null;
  /** The problem body it was answered with, opaque here (the HTTP layer made it). */
  problem: unknown;
  attempts: number;
  rejectedAt: string;
}

export type CommandRecord = { accepted: AcceptedCommand } | { rejected: RejectedCommand };

export interface Rejection {
  key: string;
  fingerprint: string;
  issuedBy: string | null;
  problem: unknown;
}

type KeyRow = StoredKey & { issued_by: string | null; events: WrittenEvent[] | null; created_at: Date };
interface RejectionRow {
  issued_by: string | null;
  problem: unknown;
  attempts: number;
  rejected_at: Date;
}

/**
 * What the write DB knows of a command sent with an idempotency key: its answer and events (with their outbox
 * rows' publication) if it was accepted, else its last refusal. Owns `command_rejections`; reads the key rows the
 * transactions write and the outbox rows of their events (by event id, a unique index).
 *
 * A refusal is recorded outside the command's transaction, which rolled back: the key stays unclaimed, so a retry
 * with it is judged again as the API promises, and an acceptance later wins over any refusal recorded before.
 */
export class CommandRecords {
  constructor(private readonly dataSource: DataSource) {}

  async find(key: string): Promise<CommandRecord | null> {
    const [row] = (await this.dataSource.query(
      `SELECT fingerprint, answer, response_status, response_body, issued_by, events, created_at
         FROM idempotency_keys WHERE key = $1`,
      [key],
    )) as KeyRow[];
    const answer = row ? storedAnswer(row) : null;
    if (row && answer !== null) {
      return {
        accepted: {
          issuedBy: row.issued_by,
          answer,
          events: row.events === null ? null : await this.published(row.events),
          claimedAt: row.created_at.toISOString(),
        },
      };
    }
    const [rejection] = (await this.dataSource.query(
      `SELECT issued_by, problem, attempts, rejected_at FROM command_rejections WHERE key = $1`,
      [key],
    )) as RejectionRow[];
    if (!rejection) return null;
    return {
      rejected: {
        issuedBy: rejection.issued_by,
        problem: rejection.problem,
        attempts: rejection.attempts,
        rejectedAt: rejection.rejected_at.toISOString(),
      },
    };
  }

  /**
   * Keeps a refusal under its key: the latest problem, counting attempts. Another caller's refusal under the same
   * key (a key is global, its fingerprint per caller) does not overwrite the first caller's.
   */
  async recordRejection(rejection: Rejection): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO command_rejections AS r (key, issued_by, fingerprint, problem) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET problem = EXCLUDED.problem, fingerprint = EXCLUDED.fingerprint,
              attempts = r.attempts + 1, rejected_at = now()
        WHERE r.issued_by IS NOT DISTINCT FROM EXCLUDED.issued_by`,
      [rejection.key, rejection.issuedBy, rejection.fingerprint, JSON.stringify(rejection.problem)],
    );
  }

  private async published(events: WrittenEvent[]): Promise<PublishedEvent[]> {
    if (events.length === 0) return [];
    // Published once both deliveries of the row are done: on its own topic and on the one that replaced it
    // (orders.order.v2, which the projections read); a row with no such topic gets both marks at once.
    const rows = (await this.dataSource.query(
      `SELECT event_id::text AS event_id,
              CASE WHEN latest_published_at IS NOT NULL THEN greatest(published_at, latest_published_at) END
                AS published_at
         FROM outbox WHERE event_id = ANY($1::uuid[])`,
      [events.map((event) => event.eventId)],
    )) as Array<{ event_id: string; published_at: Date | null }>;
    const publishedAt = new Map(rows.map((r) => [r.event_id, r.published_at?.toISOString() ?? null]));
    return events.map((event) => ({ ...event, publishedAt: publishedAt.get(event.eventId) ?? null }));
  }
}
