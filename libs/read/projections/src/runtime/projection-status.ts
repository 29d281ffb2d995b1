import type { Admin } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { ProjectionConsumer } from './projection-consumer';

export type ProjectionState = 'running' | 'rebuilding' | 'stalled';

export interface PartitionLag {
  topic: string;
  partition: number;
  messages: number;
  seconds: number;
}

export interface ProjectionStatusView {
  name: string;
  state: ProjectionState;
  lag: PartitionLag[];
  lastEventAt: string | null;
  deadLetters: number;
  parkedEvents: number;
  oldestParkedAt: string | null;
  eventsApplied: number;
  /** Why the projection is stalled, when it is. */
  stalledBecause?: string;
}

/**
 * Status of one projection for operators: state, lag per partition (log end minus the group's committed offset,
 * and in seconds how far the last applied event is behind now when there is lag), last event time, dead letters.
 * Stalled means a gap older than `stallAfterMs` (a missing version that has not come) or batches failing that long.
 */
export class ProjectionStatusReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admin: Admin,
    private readonly stallAfterMs = 30_000,
  ) {}

  async read(
    consumer: ProjectionConsumer,
    topics: readonly string[],
    rebuilding: boolean,
  ): Promise<ProjectionStatusView> {
    const name = consumer.name;
    const [progress] = await this.dataSource.query(
      `SELECT s.last_event_at, s.events_applied::text AS events_applied,
              (SELECT count(*)::int FROM dead_letters d WHERE d.projection = $1 AND d.replayed_at IS NULL) AS dead_letters,
              (SELECT count(*)::int FROM projection_parked_events p WHERE p.projection = $1) AS parked,
              (SELECT min(parked_at) FROM projection_parked_events p WHERE p.projection = $1) AS oldest_parked
         FROM (SELECT $1::text AS projection) n LEFT JOIN projection_status s ON s.projection = n.projection`,
      [name],
    );
    const lastEventAt: Date | null = progress?.last_event_at ?? null;
    const lag = await this.lag(consumer.groupId, topics, lastEventAt);
    const oldestParked: Date | null = progress?.oldest_parked ?? null;
    const now = Date.now();
    let stalledBecause: string | undefined;
    if (oldestParked && now - oldestParked.getTime() > this.stallAfterMs) {
      stalledBecause = `an event has waited since ${oldestParked.toISOString()} for a missing earlier version`;
    }
    const failure = consumer.failure;
    if (failure && now - failure.since.getTime() > this.stallAfterMs) {
      stalledBecause = `batches failing since ${failure.since.toISOString()}: ${failure.error}`;
    }
    return {
      name,
      state: rebuilding ? 'rebuilding' : stalledBecause ? 'stalled' : 'running',
      lag,
      lastEventAt: lastEventAt?.toISOString() ?? null,
      deadLetters: progress?.dead_letters ?? 0,
      parkedEvents: progress?.parked ?? 0,
      oldestParkedAt: oldestParked?.toISOString() ?? null,
      eventsApplied: Number(progress?.events_applied ?? 0),
      ...(stalledBecause ? { stalledBecause } : {}),
    };
  }

  private async lag(
    groupId: string,
    topics: readonly string[],
    lastEventAt: Date | null,
  ): Promise<PartitionLag[]> {
    const committed = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
    const lags: PartitionLag[] = [];
    for (const topic of topics) {
      const ends = await this.admin.fetchTopicOffsets(topic);
      const ofTopic = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const at = ofTopic.find((p) => p.partition === end.partition)?.offset ?? '-1';
        const position = at === '-1' ? BigInt(end.low) : BigInt(at);
        const messages = Number(BigInt(end.high) - position);
        const seconds =
          messages > 0 && lastEventAt ? Math.max(0, (Date.now() - lastEventAt.getTime()) / 1000) : 0;
        lags.push({ topic, partition: end.partition, messages: Math.max(0, messages), seconds });
      }
    }
    return lags;
  }
}
