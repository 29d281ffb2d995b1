import type { DataSource } from 'typeorm';
import { counter, type Logger } from '@tandem/platform/observability';

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
 * Deletes idempotency keys, and the refusals kept under keys (`command_rejections`), once their retention has passed. It runs in every command-service replica: each batch
 * skips the rows another sweeper has locked, so replicas sweeping at once share the work instead of waiting.
 */
export class IdempotencyKeySweeper {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private started = false;
  private stopping = false;
  private readonly swept = counter(
    'idempotency_keys_swept_total',
    'Idempotency keys deleted after their retention',
  );

  constructor(private readonly options: IdempotencyKeySweeperOptions) {}

  /** Sweeps now, then `intervalMs` after each sweep ends, until stopped. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.schedule(0);
  }

  /** Cancels the next sweep and waits for one under way, which ends after its current batch. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.started = false;
    clearTimeout(this.timer);
    await this.sweeping;
  }

  /** Deletes every key (and refusal kept under a key) past its retention; returns how many keys it deleted. */
  async sweep(): Promise<number> {
    const deleted = await this.sweepTable('idempotency_keys', 'created_at');
    await this.sweepTable('command_rejections', 'rejected_at');
    return deleted;
  }

  private async sweepTable(table: string, since: string): Promise<number> {
    const batchSize = this.options.batchSize ?? 5000;
    const retentionSeconds = (this.options.retentionMs ?? 25 * 3600_000) / 1000;
    let deleted = 0;
    for (;;) {
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
      deleted += n;
      if (table === 'idempotency_keys') this.swept.inc(n);
      if (n < batchSize || this.stopping) return deleted;
    }
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep().then(
        () => undefined,
        (error: unknown) =>
          this.options.logger.warn({ err: error }, 'idempotency key sweep failed; will retry'),
      );
      void this.sweeping.then(() => {
        if (!this.stopping) this.schedule(this.options.intervalMs ?? 60_000);
      });
    }, delayMs);
  }
}
