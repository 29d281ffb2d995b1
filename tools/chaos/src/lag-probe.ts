import type { Pool } from 'pg';
import type { CommandRecord } from './load/load';

interface Waiting {
  orderId: string;
  version: number;
  ackAt: number;
}

/**
 * End-to-end lag as a reader sees it: for every acknowledged order command, the time from its answer until the
 * order summary in the read DB shows its version (polled every 200 ms straight from the read DB, so a dead gateway
 * or query service does not hide it).
 */
export class LagProbe {
  private readonly waiting: Waiting[] = [];
  private readonly seen: Array<{ ackAt: number; lagMs: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly readDb: Pool) {}

  track(record: CommandRecord): void {
    if (record.kind === 'RegisterCustomer' || record.kind === 'ChangeCreditLimit' || record.kind === 'Read')
      return;
    if (record.id === undefined || record.version === undefined) return;
    this.waiting.push({
      orderId: record.id,
      version: record.version,
      ackAt: record.answeredAt ?? Date.now(),
    });
  }

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), 200);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Acknowledged order commands not yet visible. */
  get pending(): number {
    return this.waiting.length;
  }

  /** How long the oldest acknowledged, not yet visible command has waited; 0 when none waits. */
  oldestWaitMs(now = Date.now()): number {
    const oldest = this.waiting.reduce((min, w) => Math.min(min, w.ackAt), Number.POSITIVE_INFINITY);
    return Number.isFinite(oldest) ? now - oldest : 0;
  }

  /** The largest lag of the commands acknowledged between `from` and `to` (those still waiting: so far). */
  maxLagMs(from: number, to: number, now = Date.now()): number {
    let max = 0;
    for (const s of this.seen) if (s.ackAt >= from && s.ackAt <= to) max = Math.max(max, s.lagMs);
    for (const w of this.waiting) if (w.ackAt >= from && w.ackAt <= to) max = Math.max(max, now - w.ackAt);
    return max;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.waiting.length === 0) return;
    this.polling = true;
    try {
      const ids = [...new Set(this.waiting.map((w) => w.orderId))];
      const { rows } = await this.readDb.query<{ order_id: string; version: number }>(
        `SELECT order_id::text, version FROM order_summary WHERE order_id = ANY($1::uuid[])`,
        [ids],
      );
      const visible = new Map(rows.map((row) => [row.order_id, row.version]));
      const now = Date.now();
      for (let i = this.waiting.length - 1; i >= 0; i--) {
        const w = this.waiting[i];
        if (w && (visible.get(w.orderId) ?? 0) >= w.version) {
          this.seen.push({ ackAt: w.ackAt, lagMs: now - w.ackAt });
          this.waiting.splice(i, 1);
        }
      }
    } catch {
      // The read DB is part of what is being broken; the next poll tries again.
    } finally {
      this.polling = false;
    }
  }
}
