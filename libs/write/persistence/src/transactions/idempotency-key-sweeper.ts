import type { DataSource } from 'typeorm';
import { counter, type Logger } from '@tandem/platform/observability';
import { BatchedSweep } from '../housekeeping/batched-sweep';

export interface IdempotencyKeySweeperOptions {
  dataSource: DataSource;
  logger: Logger;
  /** Keys older than this are deleted. Default 25 h: the API promises at least 24. */
  retentionMs?: number;
  /** Time from the end of one sweep to the start of the next. Default 60 s. */
  intervalMs?: number;
  /** Keys deleted per statement, so that a sweep after a long stop holds no huge delete. Default 5000. */
  batchSize?: number;
}

/**
 * Deletes idempotency keys once their retention has passed. It runs in every command-service replica: each batch
 * skips the rows another sweeper has locked, so replicas sweeping at once share the work instead of waiting.
 */
export class IdempotencyKeySweeper {
  private readonly swept = counter(
    'idempotency_keys_swept_total',
    'Idempotency keys deleted after their retention',
  );
  private readonly batches: BatchedSweep;

  constructor(private readonly options: IdempotencyKeySweeperOptions) {
    this.batches = new BatchedSweep({
      what: 'idempotency key',
      logger: options.logger,
      intervalMs: options.intervalMs ?? 60_000,
      batchSize: options.batchSize ?? 5000,
      deleteBatch: (batchSize) => this.deleteBatch(batchSize),
    });
  }

  /** Sweeps now, then `intervalMs` after each sweep ends, until stopped. */
  start(): void {
    this.batches.start();
  }

  /** Cancels the next sweep and waits for one under way, which ends after its current batch. */
  stop(): Promise<void> {
    return this.batches.stop();
  }

  /** Deletes every key past its retention, a batch at a time; returns how many it deleted. */
  sweep(): Promise<number> {
    return this.batches.sweep();
  }

  private async deleteBatch(batchSize: number): Promise<number> {
    const retentionSeconds = (this.options.retentionMs ?? 25 * 3600_000) / 1000;
    const [row] = (await this.options.dataSource.query(
      `WITH expired AS (
         SELECT key FROM idempotency_keys
          WHERE created_at < now() - make_interval(secs => $1::double precision)
          ORDER BY created_at
          LIMIT $2
            FOR UPDATE SKIP LOCKED
       ), gone AS (
         DELETE FROM idempotency_keys k USING expired WHERE k.key = expired.key RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [retentionSeconds, batchSize],
    )) as Array<{ n: number }>;
    const n = row?.n ?? 0;
    this.swept.inc(n);
    return n;
  }
}
