import { Client } from 'pg';
import { ORDER_TOPIC_V1_DEPRECATION } from '@tandem/contracts';
import { counter, gauge, type Logger } from '@tandem/platform/observability';
import {
  deliveriesOf,
  MARK_OUTBOX_ROWS,
  PENDING_OUTBOX_ROWS,
  type PendingOutboxRow,
} from './outbox-deliveries';
import type { OutboxMessage, OutboxPublisher } from './outbox-message';

/** The advisory lock that makes one relay per write DB active ("tandem" as a number). */
export const RELAY_LOCK_KEY = 7_461_646_101;
export const OUTBOX_CHANNEL = 'outbox_inserted';

export interface OutboxRelayOptions {
  databaseUrl: string;
  publisher: OutboxPublisher;
  logger: Logger;
  /** Polling fallback when no notification arrives. Default 250 ms. */
  pollIntervalMs?: number;
  /** Rows per batch. Default 500. */
  batchSize?: number;
  /** How often a standby replica tries to take the lock. Default 1000 ms. */
  standbyRetryMs?: number;
  /**
   * The deprecated `orders.order.v1` is published strictly before this instant (`PUBLISH_V1_UNTIL`); after it, its
   * rows are marked without being sent there. Default: the start of its sunset day (UTC).
   */
  publishV1Until?: Date;
  /** Test seam: runs after Kafka acknowledged a batch and before it is marked published. */
  afterPublish?: (messages: readonly OutboxMessage[]) => Promise<void>;
}

/**
 * Publishes committed outbox rows to Kafka, in position order, at least once. Runs in every command-service replica
 * but is active in one: the one holding a session advisory lock on its own connection. When that connection dies
 * (process killed, network lost) Postgres releases the lock and a standby takes over within `standbyRetryMs`.
 */
export class OutboxRelay {
  private stopping = false;
  private leader = false;
  private notified = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly published = counter(
    'outbox_relay_published_total',
    'Events published by the outbox relay',
  );
  private readonly leaderGauge = gauge('outbox_relay_active', '1 while this replica is the active relay');
  private readonly backlogAge = gauge(
    'outbox_relay_oldest_unpublished_age_seconds',
    'Age of the oldest unpublished outbox event when the active relay last read its batch (0: none waiting)',
  );

  private failingSince: Date | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: OutboxRelayOptions) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /** For readiness details: whether this replica relays, and since when publishing has failed (Kafka down). */
  status(): { active: boolean; failingSince: string | null; lastError: string | null } {
    return {
      active: this.leader,
      failingSince: this.failingSince?.toISOString() ?? null,
      lastError: this.lastError,
    };
  }

  /**
   * New rows were committed in this process: relay them now, as a notification would make it. While this replica
   * is the active relay its own command transactions send no NOTIFY (`PostgresCommandTransactions`, option
   * `relay`) and call this after COMMIT instead.
   */
  nudge(): void {
    this.notified = true;
    this.wake();
  }

  start(): void {
    this.stopping = false;
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = undefined;
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (!this.stopping) {
      let lost = false;
      const client = new Client({
        connectionString: this.options.databaseUrl,
        application_name: 'tandem-outbox-relay',
        keepAlive: true,
      });
      client.on('error', (error) => {
        lost = true;
        logger.warn({ err: error }, 'outbox relay lost its database connection');
        this.wake();
      });
      client.on('end', () => {
        lost = true;
        this.wake();
      });
      client.on('notification', () => {
        this.notified = true;
        this.wake();
      });
      try {
        await client.connect();
        while (!this.stopping && !lost && !(await this.tryLock(client))) {
          await this.pause(this.options.standbyRetryMs ?? 1000);
        }
        if (this.stopping || lost) continue;
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        this.setLeader(true);
        logger.info('outbox relay is active on this replica');
        await this.relayWhileLeader(client, () => lost);
      } catch (error) {
        if (!this.stopping) logger.warn({ err: error }, 'outbox relay failed; reconnecting');
      } finally {
        this.setLeader(false);
        // Ending the session releases the advisory lock, so a standby can take over at once.
        await client.end().catch(() => undefined);
      }
      if (!this.stopping) await this.pause(500);
    }
  }

  private async tryLock(client: Client): Promise<boolean> {
    const result = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock($1) AS locked`, [
      RELAY_LOCK_KEY,
    ]);
    return result.rows[0]?.locked === true;
  }

  private async relayWhileLeader(client: Client, isLost: () => boolean): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    let failures = 0;
    while (!this.stopping && !isLost()) {
      this.notified = false;
      let count: number;
      try {
        count = await this.relayBatch(client, batchSize);
        failures = 0;
        this.failingSince = null;
        this.lastError = null;
      } catch (error) {
        if (isLost()) return;
        failures++;
        this.failingSince ??= new Date();
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.logger.error({ err: error, failures }, 'outbox relay could not publish; will retry');
        await this.pause(Math.min(5000, 100 * 2 ** failures));
        continue;
      }
      if (count === batchSize) continue;
      if (!this.notified) await this.pause(this.options.pollIntervalMs ?? 250);
    }
  }

  /** Publishes one batch and marks it; returns how many rows it handled. */
  async relayBatch(client: Client, batchSize: number): Promise<number> {
    // Positions are handed out before commit, so a lower position can become visible after a higher one was
    // already published. The relay therefore keeps no "published up to" cursor: each row carries its own
    // published_at (and latest_published_at), and a row that commits late is simply found by the next batch.
    // Per aggregate, position order is version order and a visible row's predecessors are visible too: the next
    // version of a stream (or customer row) can only be written after the previous one committed, because the
    // unique (stream_id, version) index and the row lock make the second writer wait for the first. Each topic
    // therefore gets each key's events in order, whichever of its two deliveries a row still owes.
    const { rows } = await client.query<PendingOutboxRow>(PENDING_OUTBOX_ROWS, [batchSize]);
    this.backlogAge.set(rows[0]?.age_seconds ?? 0);
    if (rows.length === 0) return 0;
    const until = this.options.publishV1Until ?? new Date(`${ORDER_TOPIC_V1_DEPRECATION.sunset}T00:00:00Z`);
    const open = Date.now() < until.getTime();
    const messages: OutboxMessage[] = rows.flatMap((row) => deliveriesOf(row, open));
    if (messages.length > 0) {
      await this.options.publisher.publish(messages);
      await this.options.afterPublish?.(messages);
    }
    // A crash before this update republishes the batch: at least once, never lost. Consumers dedupe on ce_id.
    await client.query(MARK_OUTBOX_ROWS, [rows.map((row) => row.position)]);
    this.published.inc(messages.length);
    return rows.length;
  }

  private setLeader(leader: boolean): void {
    this.leader = leader;
    this.leaderGauge.set(leader ? 1 : 0);
  }
}
