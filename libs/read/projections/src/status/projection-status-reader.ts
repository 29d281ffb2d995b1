import type { Admin } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { countParked, oldestParkedAt } from '../bookkeeping/parked-events';
import { countPendingDeadLetters } from '../dead-letters/dead-letters';
import type { ProjectionConsumer } from '../runtime/projection-consumer';
import { consumerLag } from './consumer-lag';
import { readStatusRow } from './projection-status';

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
    // One statement: the status row, with the dead letters and parked events counted beside it.
    const progress = await readStatusRow<{
      pending_dead_letters: number;
      parked: number;
      oldest_parked: Date | null;
    }>(this.dataSource, name, {
      pending_dead_letters: countPendingDeadLetters('$1'),
      parked: countParked('$1'),
      oldest_parked: oldestParkedAt('$1'),
    });
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
      deadLetters: progress?.pending_dead_letters ?? 0,
      parkedEvents: progress?.parked ?? 0,
      oldestParkedAt: oldestParked?.toISOString() ?? null,
      eventsApplied: Number(progress?.events_applied ?? 0),
      ...(stalledBecause ? { stalledBecause } : {}),
    };
  }

  /** Lag per partition; in seconds, how long ago the newest applied event happened, where messages wait. */
  private async lag(
    groupId: string,
    topics: readonly string[],
    lastEventAt: Date | null,
  ): Promise<PartitionLag[]> {
    return (await consumerLag(this.admin, groupId, topics)).map(({ topic, partition, messages }) => ({
      topic,
      partition,
      messages,
      seconds: messages > 0 && lastEventAt ? Math.max(0, (Date.now() - lastEventAt.getTime()) / 1000) : 0,
    }));
  }
}
