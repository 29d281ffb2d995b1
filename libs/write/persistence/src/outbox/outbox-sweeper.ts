import type { DataSource } from 'typeorm';
import { counter, type Logger } from '@tandem/platform/observability';
import { BatchedSweep } from '../housekeeping/batched-sweep';

export interface OutboxSweeperOptions {
  dataSource: DataSource;
  logger: Logger;
  /** Delivered rows older than this (since their last delivery) are deleted. Default 7 days. */
  retentionMs?: number;
  /** Time from the end of one sweep to the start of the next. Default 60 s. */
  intervalMs?: number;
  /** Rows deleted per statement. Default 1000. */
  batchSize?: number;
}

/**
 * Outbox retention: deletes rows whose every delivery was done longer than `retentionMs` ago, so the write DB does
 * not grow with every event ever recorded (Kafka keeps them all; a delivered row is only kept for operators and for
 * a republish). A row owes up to two deliveries (outbox-deliveries.ts): on its topic (`published_at`) and on the
 * topic that replaced it (`latest_published_at`; a row of a topic without successor gets it with the first). Only a
 * row with both is swept: one the previous release's relay published on orders.order.v1 alone still owes
 * orders.order.v2. It takes them in small batches, each its own short transaction over rows the relay will not look
 * at again, through the partial index of delivered rows: the relay's statements (over the pending rows' index)
 * neither wait for it nor slow down. It runs in every command-service replica; `SKIP LOCKED` makes replicas sweeping
 * at once share the work.
 */
export class OutboxSweeper {
  private readonly swept = counter(
    'outbox_swept_total',
    'Delivered outbox rows deleted after their retention',
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

  /** Deletes every delivered row past the retention, a batch at a time; returns how many it deleted. */
  sweep(): Promise<number> {
    return this.batches.sweep();
  }

  private async deleteBatch(batchSize: number): Promise<number> {
    const retentionSeconds = (this.options.retentionMs ?? 7 * 24 * 3600_000) / 1000;
    const [row] = (await this.options.dataSource.query(
      `WITH expired AS (
         SELECT position FROM outbox
          WHERE published_at IS NOT NULL AND latest_published_at IS NOT NULL
            AND greatest(published_at, latest_published_at) < now() - make_interval(secs => $1::double precision)
          ORDER BY greatest(published_at, latest_published_at)
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
