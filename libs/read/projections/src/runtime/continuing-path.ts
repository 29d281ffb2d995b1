import { lastAnswer, sendInOrder, sqlLiteral, type HeldWrite, type SqlClient } from '@tandem/platform/sql';
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
  // Per stream, in order of first appearance: the version it starts at and the last one seen.
  const spans = new Map<string, { first: number; last: number }>();
  const partitions = new Set<string>();
  // Consecutive messages mostly come from one partition: its name is only built when it changes.
  let topic: string | null = null;
  let partition = -1;
  // Times as toISOString writes them compare as strings: parsed once at the end, unless another form shows up.
  let latest: string | null = null;
  let latestAt = Number.NEGATIVE_INFINITY;
  let canonical = true;
  for (const item of enveloped) {
    if (item.kind !== 'enveloped') return null;
    const { subject, streamVersion, time } = item.envelope;
    const span = spans.get(subject);
    if (span === undefined) spans.set(subject, { first: streamVersion, last: streamVersion });
    else if (streamVersion !== span.last + 1) return null;
    else span.last = streamVersion;
    const { message } = item;
    if (message.topic !== topic || message.partition !== partition) {
      topic = message.topic;
      partition = message.partition;
      partitions.add(partitionOf(message));
    }
    if (canonical && isCanonicalUtc(time)) {
      if (latest === null || time > latest) latest = time;
    } else {
      if (canonical && latest !== null) latestAt = Date.parse(latest);
      canonical = false;
      latestAt = Math.max(latestAt, Date.parse(time));
    }
  }
  if (enveloped.length === 0) return null;
  const streams: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  for (const [stream, span] of spans) {
    streams.push(stream);
    from.push(span.first - 1);
    to.push(span.last);
  }
  return {
    count: enveloped.length,
    partitions: [...partitions].sort(),
    streams,
    from,
    to,
    lastEventAt: new Date(canonical && latest !== null ? Date.parse(latest) : latestAt),
  };
}

/** How the model's part of a batch ended: its writes held, or the error it failed with. */
type ModelOutcome = { ok: true } | { ok: false; error: unknown };

/**
 * The common case, in two round trips and without reading the checkpoints first: a batch that continues every
 * stream it touches, each with consecutive versions. One simple-protocol round trip begins the transaction, takes
 * the partition locks and moves the checkpoints on the assumption that each stream stands just before the batch's
 * first event of it; its answer says whether that held for every stream and whether any of them has events parked.
 * Meanwhile the payloads are decoded and the model builds its writes (a model that reads rows first sends its read
 * as soon as that round trip is answered, on the same connection). The second round trip sends the model's writes, the
 * notification of the moved checkpoints and COMMIT, as one simple query: PostgreSQL skips the rest of such a query
 * after a failing statement, so nothing commits unless every write went through. If the assumption did not hold,
 * a payload is poison, or anything else than a transient error goes wrong, the transaction is rolled back and null
 * returned: the general path then sorts the batch out.
 */
export class ContinuingPath {
  constructor(
    private readonly dataSource: DataSource,
    private readonly target: BatchTarget,
  ) {}

  async apply(batch: Continuation, decodeAll: () => DecodedMessage[]): Promise<BatchResult | null> {
    const runner = this.dataSource.createQueryRunner();
    try {
      // The driver's own connection, for multi-statement simple queries (which take no parameters).
      const client = (await runner.connect()) as SqlClient;
      let model: Promise<ModelOutcome> | null = null;
      // Nothing else is sent before the opening is answered: pg would queue it behind, which it deprecates.
      let opened: Promise<void> = Promise.resolve();
      try {
        const opening = client.query(this.opening(batch));
        opened = opening.then(
          () => undefined,
          () => undefined,
        );
        // Decoding (JSON, schemas) and the model's fold take about as long as that round trip: done while it runs.
        const decoded = decodeAll();
        const events: ProjectedEvent[] = [];
        for (const item of decoded) if (item.kind === 'event') events.push(item);
        const writes: HeldWrite[] = [];
        if (events.length === decoded.length) model = this.applyModel(client, opened, events, writes);
        const answers = await opening;
        const outcome = model && (await model);
        if (outcome && !outcome.ok && isTransientError(outcome.error)) throw outcome.error;
        const [verdict] = lastAnswer(answers).rows as Array<{ continued: number; parked: boolean }>;
        if (verdict?.continued !== batch.streams.length || verdict.parked || !outcome?.ok) {
          await client.query('ROLLBACK');
          return null;
        }
        await this.commit(client, batch, writes);
      } catch (error) {
        // The opening, and the model with any read it sent after it, end before the connection is handed back.
        // Then the rollback, also when BEGIN went through and a later statement did not: the connection goes back
        // to the pool out of any transaction. On a dead connection this fails too, and the server discards the
        // transaction anyway.
        await opened;
        await model;
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
   * Runs the model's part of the batch on the connection, its writes held in `writes` for the commit's round trip;
   * never rejects (its outcome says how it ended), so that it can run beside the opening round trip.
   */
  private async applyModel(
    client: SqlClient,
    opened: Promise<void>,
    events: ProjectedEvent[],
    writes: HeldWrite[],
  ): Promise<ModelOutcome> {
    const { projection, table } = this.target;
    const context: ProjectionContext = {
      query: async <Row>(sql: string, params: unknown[]) => {
        await opened;
        // A read after a held write must see it: the writes held so far go first, in order.
        for (const held of writes.splice(0)) await client.query(held.sql, held.params);
        return lastAnswer(await client.query(sql, params)).rows as Row[];
      },
      write: (sql, params) => {
        writes.push({ sql, params });
      },
      table,
    };
    try {
      if (projection.applyMany) await projection.applyMany(events, context);
      else for (const event of events) await projection.apply(event, context);
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /**
   * The second round trip: the model's writes, the notification of the streams the batch moved (delivered at
   * COMMIT, dropped on ROLLBACK: the waiting reads of these streams look again once they moved), then COMMIT. A
   * write that cannot be rewritten with literals goes first, with its parameters, in a round trip of its own.
   */
  private async commit(client: SqlClient, batch: Continuation, writes: HeldWrite[]): Promise<void> {
    await sendInOrder(client, writes, [
      notifyCheckpointsStatement(this.target.namespace, batch.streams),
      'COMMIT',
    ]);
  }

  /**
   * The opening round trip: BEGIN, the rebuild gate (waits while a rebuild cuts over), the partition locks, then
   * one statement that moves the checkpoints where they stand, records the status, and answers for how many
   * streams the move held and whether any of the streams it moved has events parked (if it did not move them all,
   * the batch is rolled back anyway).
   */
  private opening(batch: Continuation): string {
    const { namespace } = this.target;
    const projection = sqlLiteral(namespace);
    const lastEventAt = sqlLiteral(batch.lastEventAt.toISOString());
    return [
      'BEGIN',
      passGateStatement(namespace),
      ...batch.partitions.map((partition) => lockPartitionStatement(namespace, partition)),
      `WITH moved AS (${moveCheckpointsWhereTheyStand(projection, batch)}),
       status AS (${recordBatchStatus(projection, lastEventAt, String(batch.count))})
       SELECT ${countMoved('moved')} AS continued,
              ${anyParked(projection, 'ARRAY(SELECT stream_id FROM moved)')} AS parked`,
    ].join(';\n');
  }
}
