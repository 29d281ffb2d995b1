import { lastAnswer, sqlLiteral, textArrayLiteral, type SqlClient } from '@tandem/platform/sql';
import type { DataSource } from 'typeorm';
import { countMoved, moveCheckpointsWhereTheyStand, type CheckpointMoves } from '../bookkeeping/checkpoints';
import { notifyCheckpointsStatement } from '../bookkeeping/checkpoint-notifications';
import { anyParked } from '../bookkeeping/parked-events';
import { passGateStatement } from '../rebuild/rebuild-gate';
import { recordBatchStatus } from '../status/projection-status';
import type { BatchResult, BatchTarget } from './batch-result';
import { isCanonicalUtc } from './event-time';
import type { DecodedMessage, EnvelopedMessage } from './message-decoder';
import { lockPartitionStatement, partitionOf } from './partition-locks';
import type { ProjectedEvent, ProjectionContext } from './projection';
import { isTransientError } from './transient-error';

/**
 * A batch whose versions are consecutive within each stream, judged by its envelopes: what the continuing path can
 * take. Per stream, `from` is the version it must stand at before the batch and `to` the one the batch leaves it at.
 */
export interface Continuation extends CheckpointMoves {
  count: number;
  partitions: string[];
  lastEventAt: Date;
}

/** The batch as a continuation of its streams, or null if its versions skip or repeat within a stream. */
export function continuation(enveloped: EnvelopedMessage[]): Continuation | null {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const partitions = new Set<string>();
  // Times as toISOString writes them compare as strings: parsed once at the end, unless another form shows up.
  let latest: string | null = null;
  let latestAt = Number.NEGATIVE_INFINITY;
  let canonical = true;
  for (const item of enveloped) {
    if (item.kind !== 'enveloped') return null;
    const { subject, streamVersion, time } = item.envelope;
    const before = last.get(subject);
    if (before === undefined) first.set(subject, streamVersion);
    else if (streamVersion !== before + 1) return null;
    last.set(subject, streamVersion);
    partitions.add(partitionOf(item.message));
    if (canonical && isCanonicalUtc(time)) {
      if (latest === null || time > latest) latest = time;
    } else {
      if (canonical && latest !== null) latestAt = Date.parse(latest);
      canonical = false;
      latestAt = Math.max(latestAt, Date.parse(time));
    }
  }
  if (enveloped.length === 0) return null;
  const streams = [...last.keys()];
  return {
    count: enveloped.length,
    partitions: [...partitions].sort(),
    streams,
    from: streams.map((s) => (first.get(s) ?? 1) - 1),
    to: streams.map((s) => last.get(s) ?? 0),
    lastEventAt: new Date(canonical && latest !== null ? Date.parse(latest) : latestAt),
  };
}

/**
 * The common case, in three round trips and without reading the checkpoints first: a batch that continues every
 * stream it touches, each with consecutive versions. One simple-protocol round trip begins the transaction, takes
 * the partition locks and moves the checkpoints on the assumption that each stream stands just before the batch's
 * first event of it; its answer says whether that held for every stream and whether any of them has events parked.
 * The payloads are decoded meanwhile. Then the model, then COMMIT. If the assumption did not hold, a payload is
 * poison, or anything else than a transient error goes wrong, the transaction is rolled back and null returned:
 * the general path then sorts the batch out.
 */
export class ContinuingPath {
  constructor(
    private readonly dataSource: DataSource,
    private readonly target: BatchTarget,
  ) {}

  async apply(batch: Continuation, decodeAll: () => DecodedMessage[]): Promise<BatchResult | null> {
    const { projection, table } = this.target;
    const runner = this.dataSource.createQueryRunner();
    try {
      // The driver's own connection, for a multi-statement simple query (which takes no parameters).
      const client = (await runner.connect()) as SqlClient;
      try {
        const opening = client.query(this.opening(batch));
        // Decoding the payloads (JSON, schemas) takes about as long as that round trip: done while it runs.
        const decoded = decodeAll();
        const answers = await opening;
        const [verdict] = lastAnswer(answers).rows as Array<{ continued: number; parked: boolean }>;
        const events: ProjectedEvent[] = [];
        for (const item of decoded) if (item.kind === 'event') events.push(item);
        if (
          verdict?.continued !== batch.streams.length ||
          verdict.parked ||
          events.length !== decoded.length
        ) {
          await client.query('ROLLBACK');
          return null;
        }
        const context: ProjectionContext = {
          query: async <Row>(sql: string, params: unknown[]) =>
            lastAnswer(await client.query(sql, params)).rows as Row[],
          table,
        };
        if (projection.applyMany) await projection.applyMany(events, context);
        else for (const event of events) await projection.apply(event, context);
        await client.query('COMMIT');
      } catch (error) {
        // Also when BEGIN went through and a later statement did not: the connection goes back to the pool out of
        // any transaction. On a dead connection this fails too, and the server discards the transaction anyway.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } catch (error) {
      if (isTransientError(error)) throw error;
      return null;
    } finally {
      await runner.release().catch(() => undefined);
    }
    return {
      path: 'continuing',
      applied: batch.count,
      duplicates: 0,
      parked: 0,
      deadLettered: [],
      lastEventAt: batch.lastEventAt,
    };
  }

  /**
   * The opening round trip: BEGIN, the rebuild gate (waits while a rebuild cuts over), the partition locks, the
   * notification of the streams it moves, then one statement that moves the checkpoints where they stand, records
   * the status, and answers for how many streams the move held and whether any has events parked.
   */
  private opening(batch: Continuation): string {
    const { namespace } = this.target;
    const projection = sqlLiteral(namespace);
    const lastEventAt = sqlLiteral(batch.lastEventAt.toISOString());
    return [
      'BEGIN',
      passGateStatement(namespace),
      ...batch.partitions.map((partition) => lockPartitionStatement(namespace, partition)),
      // Delivered at COMMIT, dropped on ROLLBACK: the waiting reads of these streams look again once they moved.
      notifyCheckpointsStatement(namespace, batch.streams),
      `WITH moved AS (${moveCheckpointsWhereTheyStand(projection, batch)}),
       status AS (${recordBatchStatus(projection, lastEventAt, String(batch.count))})
       SELECT ${countMoved('moved')} AS continued,
              ${anyParked(projection, textArrayLiteral(batch.streams))} AS parked`,
    ].join(';\n');
  }
}
