import type { DataSource } from 'typeorm';
import { counter, type Logger } from '@tandem/platform/observability';
import { BatchedSweep } from '../housekeeping/batched-sweep';

export interface OutboxSweeperOptions {
  dataSource: DataSource;
  logger: Logger;
  /** Published rows older than this (since their publication) are deleted. Default 7 days. */
  retentionMs?: number;
  /** Time from the end of one sweep to the start of the next. Default 60 s. */
  intervalMs?: number;
  /** Rows deleted per statement. Default 1000. */
  batchSize?: number;
}

/**
 * Outbox retention: deletes rows the relay published longer than `retentionMs` ago, so the write DB does not grow
 * with every event ever recorded (Kafka keeps them all; a published row is only kept for operators and for a
 * republish). It never touches an unpublished row, and takes the published ones in small batches, each its own
 * short transaction over rows the relay will not look at again, through the partial index on `published_at`: the
 * relay's statements (over the unpublished rows' index) neither wait for it nor slow down. It runs in every
 * command-service replica; `SKIP LOCKED` makes replicas sweeping at once share the work.
 */
export class OutboxSweeper {
  private readonly swept = counter(
    'outbox_swept_total',
    'Published outbox rows deleted after their retention',
  );
  private readonly batches: BatchedSweep;

  constructor(private readonly options: OutboxSweeperOptions) {
    this.batches = new BatchedSweep({
      what: 'outbox',
      logger: options.logger,
      intervalMs: options.intervalMs ?? 60_000,
      batchSize: options.batchSize ?? 1000,
      deleteBatch: (batchSize) => this.deleteBatch(batchSize),
    });
  }

  start(): void {
    this.batches.start();
  }

  stop(): Promise<void> {
    return this.batches.stop();
  }

  /** Deletes every published row past the retention, a batch at a time; returns how many it deleted. */
  sweep(): Promise<number> {
    return this.batches.sweep();
  }

  private async deleteBatch(batchSize: number): Promise<number> {
    const retentionSeconds = (this.options.retentionMs ?? 7 * 24 * 3600_000) / 1000;
    const [row] = (await this.options.dataSource.query(
      `WITH expired AS (
         SELECT position FROM outbox
          WHERE published_at < now() - make_interval(secs => $1::double precision)
          ORDER BY published_at
          LIMIT $2
            FOR UPDATE SKIP LOCKED
       ), gone AS (
         DELETE FROM outbox o USING expired WHERE o.position = expired.position RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [retentionSeconds, batchSize],
    )) as Array<{ n: number }>;
    const n = row?.n ?? 0;
    this.swept.inc(n);
    return n;
  }
}
