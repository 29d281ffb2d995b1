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
 * Deletes idempotency keys, and the refusals kept under keys (`command_rejections`), once their retention has
 * passed, each table a batch at a time. It runs in every command-service replica: each batch skips the rows another
 * sweeper has locked, so replicas sweeping at once share the work instead of waiting.
 */
export class IdempotencyKeySweeper {
  private readonly swept = counter(
    'idempotency_keys_swept_total',
    'Idempotency keys deleted after their retention',
  );
  private readonly keys: BatchedSweep;
  private readonly rejections: BatchedSweep;

  constructor(private readonly options: IdempotencyKeySweeperOptions) {
    const sweepOf = (what: string, table: string, since: string) =>
      new BatchedSweep({
        what,
        logger: options.logger,
        intervalMs: options.intervalMs ?? 60_000,
        batchSize: options.batchSize ?? 5000,
        deleteBatch: (batchSize) => this.deleteBatch(table, since, batchSize),
      });
    this.keys = sweepOf('idempotency key', 'idempotency_keys', 'created_at');
    this.rejections = sweepOf('command rejection', 'command_rejections', 'rejected_at');
  }

  /** Sweeps now, then `intervalMs` after each sweep ends, until stopped. */
  start(): void {
    this.keys.start();
    this.rejections.start();
  }

  /** Cancels the next sweeps and waits for those under way, which end after their current batch. */
  async stop(): Promise<void> {
    await Promise.all([this.keys.stop(), this.rejections.stop()]);
  }

  /** Deletes every key (and refusal kept under a key) past its retention; returns how many keys it deleted. */
  async sweep(): Promise<number> {
    const deleted = await this.keys.sweep();
    await this.rejections.sweep();
    return deleted;
  }

  private async deleteBatch(table: string, since: string, batchSize: number): Promise<number> {
    const retentionSeconds = (this.options.retentionMs ?? 25 * 3600_000) / 1000;
    const [row] = (await this.options.dataSource.query(
      `WITH expired AS (
         SELECT key FROM ${table}
          WHERE ${since} < now() - make_interval(secs => $1::double precision)
          ORDER BY ${since}
          LIMIT $2
            FOR UPDATE SKIP LOCKED
       ), gone AS (
         DELETE FROM ${table} k USING expired WHERE k.key = expired.key RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [retentionSeconds, batchSize],
    )) as Array<{ n: number }>;
    const n = row?.n ?? 0;
    if (table === 'idempotency_keys') this.swept.inc(n);
    return n;
  }
}
