import type { DataSource } from 'typeorm';
import { gauge } from '@tandem/platform/observability';

export interface OutboxBacklogReading {
  /** Committed events with a delivery still owed (on their topic, or on the topic that replaced it). */
  events: number;
  /** Age of the oldest of them, in seconds (0 when none waits). */
  oldestAgeSeconds: number;
}

/**
 * How much the outbox holds that Kafka has not acknowledged yet: what the command service's readiness reports in
 * place of Kafka itself. Commands need only the write DB; while Kafka is down the backlog grows and the relay
 * publishes it once Kafka is back, so a Kafka outage is a delay for readers, not an outage for writers. A row counts
 * until every delivery it owes is done (the relay's own condition, outbox-deliveries.ts), over the partial index of
 * pending rows (outbox_pending), which is small unless the relay falls behind.
 */
export class OutboxBacklog {
  private readonly eventsGauge = gauge(
    'outbox_backlog_events',
    'Committed events in the outbox that the relay has not published yet',
  );
  private readonly ageGauge = gauge(
    'outbox_backlog_oldest_age_seconds',
    'Age of the oldest committed event the relay has not published yet (0: none waiting)',
  );
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dataSource: DataSource) {}

  /** Reads the backlog now and sets the gauges. */
  async read(): Promise<OutboxBacklogReading> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS events,
              COALESCE(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 AS age
         FROM outbox WHERE published_at IS NULL OR latest_published_at IS NULL`,
    )) as Array<{ events: number; age: number }>;
    const reading = { events: row?.events ?? 0, oldestAgeSeconds: Math.round((row?.age ?? 0) * 1000) / 1000 };
    this.eventsGauge.set(reading.events);
    this.ageGauge.set(reading.oldestAgeSeconds);
    return reading;
  }

  /** Keeps the gauges fresh between readiness probes (every `intervalMs`, default 5 s) until stopped. */
  start(intervalMs = 5000): void {
    this.timer ??= setInterval(() => void this.read().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
