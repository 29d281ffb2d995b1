import type { EachBatchPayload } from 'kafkajs';
import type { Logger } from '@tandem/platform/observability';
import { whileHeartbeating } from './group-liveness';
import { clearFailing, countFailedAttempt } from './projection-metrics';
import { isTransientError } from './transient-error';

/**
 * A consumer's retries of its batch work (the read-DB transaction, publishing dead letters), with backoff, while
 * heartbeating; and since when they have been failing, which the status reports (stalled once it lasts).
 */
export class BatchRetries {
  private failingSince: Date | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    private readonly backoff: { initialMs: number; maxMs: number },
    private readonly heartbeatIntervalMs: number,
  ) {}

  /** Since when batches have been failing and being retried, and why; null while healthy. */
  get failure(): { since: Date; error: string } | null {
    return this.failingSince ? { since: this.failingSince, error: this.lastError ?? '' } : null;
  }

  /**
   * Retries `work` on failure with backoff; null when the consumer is stopping or lost one of the partitions
   * meanwhile (their offsets are then not resolved: whoever owns them next replays the batches).
   */
  async run<T>(payloads: EachBatchPayload[], work: () => Promise<T>): Promise<T | null> {
    let delay = this.backoff.initialMs;
    for (;;) {
      try {
        const value = await whileHeartbeating(payloads[0], this.heartbeatIntervalMs, work);
        if (this.failingSince) clearFailing(this.name);
        this.failingSince = null;
        this.lastError = null;
        return value;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.failingSince ??= new Date();
        countFailedAttempt(this.name);
        this.lastError = message;
        const fields = {
          partitions: payloads.map(({ batch }) => `${batch.topic}:${batch.partition}`).join(','),
          err: message,
          retryInMs: delay,
        };
        if (isTransientError(error))
          this.logger.warn(fields, 'projection batch failed transiently; retrying');
        else this.logger.error(fields, 'projection batch failed; retrying');
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, this.backoff.maxMs);
      if (payloads.some((payload) => !payload.isRunning() || payload.isStale())) return null;
      try {
        await payloads[0]?.heartbeat();
      } catch {
        // The group is rebalancing: give the partitions back unacknowledged; their next owner replays the batches.
        return null;
      }
    }
  }
}
