import type { Logger } from '@tandem/platform/observability';

export interface BatchedSweepOptions {
  /** What is swept, for the log line of a failed sweep. */
  what: string;
  logger: Logger;
  /** Time from the end of one sweep to the start of the next. */
  intervalMs: number;
  /** Rows per statement: a sweep after a long stop holds no huge delete. */
  batchSize: number;
  /** Deletes at most `batchSize` rows in one statement (its own transaction) and says how many it deleted. */
  deleteBatch(batchSize: number): Promise<number>;
}

/**
 * Housekeeping that deletes old rows a batch at a time, now and then every `intervalMs` after the previous sweep
 * ended, until stopped. A sweep ends when a batch comes back short, or after the batch under way when stopping.
 */
export class BatchedSweep {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private started = false;
  private stopping = false;

  constructor(private readonly options: BatchedSweepOptions) {}

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

  /** Deletes every row due, a batch at a time; returns how many it deleted. */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = await this.options.deleteBatch(this.options.batchSize);
      deleted += n;
      if (n < this.options.batchSize || this.stopping) return deleted;
    }
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep().then(
        () => undefined,
        (error: unknown) =>
          this.options.logger.warn({ err: error }, `${this.options.what} sweep failed; will retry`),
      );
      void this.sweeping.then(() => {
        if (!this.stopping) this.schedule(this.options.intervalMs);
      });
    }, delayMs);
  }
}
