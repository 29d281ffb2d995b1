import {
  intArrayLiteral,
  lastAnswer,
  sqlLiteral,
  textArrayLiteral,
  type SqlClient,
} from '@tandem/platform/sql';
import type { DataSource, QueryRunner } from 'typeorm';
import { toKafkaHeaders, type EventEnvelope } from '@tandem/contracts';
import type { IncomingMessage } from './incoming-message';
import {
  decodeEnvelope,
  decodeParts,
  decodePayload,
  type DecodedMessage,
  type EnvelopedMessage,
} from './message-decoder';
import {
  ProjectionRejectedEvent,
  type ProjectedEvent,
  type Projection,
  type ProjectionContext,
} from './projection';
import { isCanonicalUtc } from './event-time';
import { isTransientError } from './transient-error';

export interface DeadLetterRecord {
  id: string;
  projection: string;
  message: IncomingMessage;
  reason: string;
  error: string;
}

export interface BatchResult {
  /**
   * `continuing`: the batch continued every stream it touched and went through in four round trips; `general`: it
   * held duplicates, gaps, poison or parked successors, or a stream did not stand where it assumed.
   */
  path: 'continuing' | 'general';
  applied: number;
  duplicates: number;
  parked: number;
  deadLettered: DeadLetterRecord[];
  lastEventAt: Date | null;
}

export interface BatchApplierOptions {
  /** Name under which checkpoints, status and dead letters are kept. Default: the projection's name. */
  namespace?: string;
  /** Maps a table to the one actually written (a rebuild writes to copies). Default: the table itself. */
  table?: (name: string) => string;
}

interface ParkedRow {
  stream_id: string;
  version: number;
  topic: string;
  partition: number;
  offset: string;
  envelope: EventEnvelope;
  payload: string | null;
}

/**
 * The heart of the projection runtime: applies a batch of messages to a read model in ONE transaction together
 * with each stream's checkpoint, so that a crash anywhere leaves either all of the batch or none of it.
 *
 * Per message, by its stream version v against the stream's checkpoint c:
 *  - v ≤ c: already applied (redelivery, duplicate): nothing changes;
 *  - v = c + 1: applied, then any parked successors v+1, v+2… are applied in order;
 *  - v > c + 1: a gap; the event is parked in the read DB so the partition keeps flowing, and waits for the
 *    missing version (the status reports a stream that waits too long as stalled);
 *  - poison (bad envelope, bad JSON, unknown type or major version, invalid payload, handler rejection): written
 *    to the dead-letter table; its stream does not advance (later versions park behind it) until an operator
 *    replays it, so a stream is never applied out of order.
 *
 * A transient failure (database unreachable, deadlock) propagates: the caller retries the whole batch. Any other
 * failure is pinned on its event by re-running the batch with a savepoint around each event.
 */
export class BatchApplier {
  readonly namespace: string;
  private readonly table: (name: string) => string;

  constructor(
    private readonly dataSource: DataSource,
    readonly projection: Projection,
    options: BatchApplierOptions = {},
  ) {
    this.namespace = options.namespace ?? projection.name;
    this.table = options.table ?? ((name) => name);
  }

  async apply(messages: IncomingMessage[]): Promise<BatchResult> {
    const enveloped = messages.map(decodeEnvelope);
    let payloads: DecodedMessage[] | null = null;
    const decodeAll = (): DecodedMessage[] => (payloads ??= enveloped.map(decodePayload));
    const continuing = continuation(enveloped);
    if (continuing) {
      const result = await this.applyContinuing(continuing, decodeAll);
      if (result) return result;
    }
    const decoded = decodeAll();
    try {
      return await this.inTransaction((runner) => this.applyAll(runner, decoded, false));
    } catch (error) {
      if (isTransientError(error)) throw error;
      return this.inTransaction((runner) => this.applyAll(runner, decoded, true));
    }
  }

  /** Runs `work` in a read-DB transaction; exposed for the replay of dead letters, which reuses the batch logic. */
  async inTransaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      // On a dead connection the rollback fails too; the server discards the transaction anyway.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  /** Applies decoded messages inside the caller's transaction. */
  async applyAll(runner: QueryRunner, decoded: DecodedMessage[], isolateEach: boolean): Promise<BatchResult> {
    const result: BatchResult = {
      path: 'general',
      applied: 0,
      duplicates: 0,
      parked: 0,
      deadLettered: [],
      lastEventAt: null,
    };
    await this.lockPartitions(runner, decoded);

    const streams = [...new Set(decoded.flatMap((d) => (d.envelope ? [d.envelope.subject] : [])))];
    const checkpoints = new Map<string, number>();
    const parked = new Map<string, Map<number, ParkedRow>>();
    if (streams.length > 0) {
      // One statement reads the batch's bookkeeping: each stream's checkpoint and the events parked behind it. Each
      // stream is its own primary-key lookup: a LATERAL subquery with LIMIT or OFFSET is not flattened into a join.
      // The plain `projection = $1 AND stream_id = ANY($2)` was planned, on a checkpoint table whose statistics lag
      // behind (a catch-up from offset 0 fills it faster than autovacuum analyzes it), as a scan of the projection's
      // whole key range filtered by stream: every checkpoint read on every batch, so catch-up slowed as it grew.
      const rows: Array<
        { stream_id: string; checkpoint: number | null } & { [K in keyof ParkedRow]: ParkedRow[K] | null }
      > = await runner.query(
        `SELECT s.id AS stream_id, c.version AS checkpoint,
                  p.version, p.topic, p.partition, p."offset"::text AS "offset", p.envelope, p.payload
             FROM unnest($2::text[]) AS s(id)
             LEFT JOIN LATERAL (SELECT version FROM projection_checkpoints
                                 WHERE projection = $1 AND stream_id = s.id LIMIT 1) c ON true
             LEFT JOIN LATERAL (SELECT version, topic, partition, "offset", envelope, payload
                                  FROM projection_parked_events
                                 WHERE projection = $1 AND stream_id = s.id OFFSET 0) p ON true`,
        [this.namespace, streams],
      );
      for (const row of rows) {
        if (row.checkpoint !== null) checkpoints.set(row.stream_id, row.checkpoint);
        const { version, topic, partition, offset, envelope } = row;
        if (version === null || topic === null || partition === null || offset === null || envelope === null)
          continue;
        const waiting = {
          stream_id: row.stream_id,
          version,
          topic,
          partition,
          offset,
          envelope,
          payload: row.payload,
        };
        parkedOf(parked, row.stream_id).set(version, waiting);
      }
    }
    const moved = new Set<string>();
    const deferred: ProjectedEvent[] | null = !isolateEach && this.projection.applyMany ? [] : null;

    const applyInOrder = async (item: DecodedMessage): Promise<void> => {
      const envelope = item.envelope;
      if (!envelope) {
        if (item.kind === 'poison') result.deadLettered.push(await this.deadLetter(runner, item));
        return;
      }
      const stream = envelope.subject;
      const version = envelope.streamVersion;
      const checkpoint = checkpoints.get(stream) ?? 0;
      if (version <= checkpoint || parked.get(stream)?.has(version)) {
        result.duplicates += 1;
        return;
      }
      if (version > checkpoint + 1) {
        const row = await this.park(runner, item.message, envelope);
        parkedOf(parked, stream).set(version, row);
        result.parked += 1;
        return;
      }
      let current: DecodedMessage | null = item;
      while (current?.envelope) {
        const applied = await this.applyOne(runner, current, isolateEach, result, deferred);
        if (!applied) return;
        const currentVersion = current.envelope.streamVersion;
        checkpoints.set(stream, currentVersion);
        moved.add(stream);
        const next = parked.get(stream)?.get(currentVersion + 1);
        if (!next) return;
        parked.get(stream)?.delete(next.version);
        await runner.query(
          `DELETE FROM projection_parked_events WHERE projection = $1 AND stream_id = $2 AND version = $3`,
          [this.namespace, stream, next.version],
        );
        current = decodeParts(
          {
            topic: next.topic,
            partition: next.partition,
            offset: next.offset,
            key: stream,
            value: next.payload,
            headers: {},
          },
          next.envelope,
          next.payload,
        );
      }
    };

    for (const item of decoded) await applyInOrder(item);
    if (deferred && deferred.length > 0) await this.projection.applyMany?.(deferred, this.context(runner));

    // The checkpoints of the streams that moved and the status, in one statement (both always run: a data-modifying
    // WITH runs to completion whether or not its output is read).
    const ids = [...moved];
    await runner.query(
      `WITH checkpoints AS (
         INSERT INTO projection_checkpoints (projection, stream_id, version, updated_at)
         SELECT $1, s, v, now() FROM unnest($2::text[], $3::int[]) AS t(s, v)
         ON CONFLICT (projection, stream_id) DO UPDATE SET version = EXCLUDED.version, updated_at = now())
       ${recordStatus('$1', '$4', '$5')}`,
      [this.namespace, ids, ids.map((id) => checkpoints.get(id) ?? 0), result.lastEventAt, result.applied],
    );
    return result;
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
  private async applyContinuing(
    batch: Continuation,
    decodeAll: () => DecodedMessage[],
  ): Promise<BatchResult | null> {
    const runner = this.dataSource.createQueryRunner();
    try {
      // The driver's own connection, for a multi-statement simple query (which takes no parameters).
      const client = (await runner.connect()) as SqlClient;
      try {
        const opening = client.query(
          [
            'BEGIN',
            ...batch.partitions.map(
              (partition) =>
                `SELECT pg_advisory_xact_lock(hashtext(${sqlLiteral(`${this.namespace}/${partition}`)}))`,
            ),
            moveCheckpointsIfContinuing(this.namespace, batch),
          ].join(';\n'),
        );
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
          table: this.table,
        };
        if (this.projection.applyMany) await this.projection.applyMany(events, context);
        else for (const event of events) await this.projection.apply(event, context);
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

  /** Applies one event (or dead-letters it); true when its stream may advance past it. */
  private async applyOne(
    runner: QueryRunner,
    item: DecodedMessage,
    isolate: boolean,
    result: BatchResult,
    deferred: ProjectedEvent[] | null,
  ): Promise<boolean> {
    if (item.kind === 'poison') {
      result.deadLettered.push(await this.deadLetter(runner, item));
      return false;
    }
    if (isolate) await runner.query('SAVEPOINT projection_event');
    try {
      if (deferred) deferred.push({ envelope: item.envelope, event: item.event });
      else await this.projection.apply({ envelope: item.envelope, event: item.event }, this.context(runner));
      if (isolate) await runner.query('RELEASE SAVEPOINT projection_event');
    } catch (error) {
      if (!isolate || isTransientError(error)) throw error;
      await runner.query('ROLLBACK TO SAVEPOINT projection_event');
      const message = error instanceof Error ? error.message : String(error);
      const reason = error instanceof ProjectionRejectedEvent ? 'handler-rejected' : 'handler-failed';
      result.deadLettered.push(
        await this.deadLetter(
          runner,
          { ...item, kind: 'poison', reason: 'handler-rejected', error: message },
          reason,
        ),
      );
      return false;
    }
    result.applied += 1;
    const time = new Date(item.envelope.time);
    if (!result.lastEventAt || time > result.lastEventAt) result.lastEventAt = time;
    return true;
  }

  private context(runner: QueryRunner): ProjectionContext {
    return {
      query: async <Row>(sql: string, params: unknown[]) =>
        (await runner.query(sql, params, true)).records as Row[],
      table: this.table,
    };
  }

  private async park(
    runner: QueryRunner,
    message: IncomingMessage,
    envelope: EventEnvelope,
  ): Promise<ParkedRow> {
    const payload = message.value === null ? null : message.value.toString();
    await runner.query(
      `INSERT INTO projection_parked_events (projection, stream_id, version, topic, partition, "offset", envelope, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        this.namespace,
        envelope.subject,
        envelope.streamVersion,
        message.topic,
        message.partition,
        message.offset,
        JSON.stringify(envelope),
        payload,
      ],
    );
    return {
      stream_id: envelope.subject,
      version: envelope.streamVersion,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      envelope,
      payload,
    };
  }

  private async deadLetter(
    runner: QueryRunner,
    item: Extract<DecodedMessage, { kind: 'poison' }>,
    reason: string = item.reason,
  ): Promise<DeadLetterRecord> {
    const { message, envelope } = item;
    const headers = Object.fromEntries(
      Object.entries(message.headers).flatMap(([name, value]) => {
        const first = Array.isArray(value) ? value[0] : value;
        return first === undefined ? [] : [[name, first.toString()]];
      }),
    );
    const inserted: Array<{ id: string }> = await runner.query(
      `INSERT INTO dead_letters (projection, topic, partition, "offset", message_key, headers, payload,
                                 stream_id, stream_version, event_type, reason, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (projection, topic, partition, "offset")
         DO UPDATE SET error = EXCLUDED.error, reason = EXCLUDED.reason, replayed_at = NULL
       RETURNING id::text AS id`,
      [
        this.namespace,
        message.topic,
        message.partition,
        message.offset,
        message.key === null ? null : message.key.toString(),
        JSON.stringify(envelope ? { ...headers, ...toKafkaHeaders(envelope) } : headers),
        message.value === null ? null : message.value.toString(),
        envelope?.subject ?? null,
        envelope?.streamVersion ?? null,
        envelope?.type ?? null,
        reason,
        item.error,
      ],
    );
    return { id: inserted[0]?.id ?? '', projection: this.namespace, message, reason, error: item.error };
  }

  /**
   * During a rebalance two members can briefly both hold a partition; a transaction-scoped lock per partition
   * makes the second wait, after which the checkpoints it reads make its batch a no-op.
   */
  private async lockPartitions(runner: QueryRunner, decoded: DecodedMessage[]): Promise<void> {
    for (const partition of partitionsOf(decoded.map((d) => d.message))) {
      await runner.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.namespace}/${partition}`]);
    }
  }
}

/** The partitions of a batch, in the order their locks are taken (always the same order, so no deadlock). */
function partitionsOf(messages: IncomingMessage[]): string[] {
  return [...new Set(messages.map(partitionOf))].sort();
}

/** A partition's name in its advisory lock's key. */
function partitionOf(message: IncomingMessage): string {
  return `${message.topic}:${message.partition}`;
}

/**
 * The statement that records a batch in the projection's status row, from SQL expressions for the projection, the
 * latest event time and the count of events applied (parameters or literals, as the caller sends them).
 */
function recordStatus(projection: string, lastEventAt: string, applied: string): string {
  return `INSERT INTO projection_status (projection, state, last_event_at, last_applied_at, events_applied, updated_at)
    VALUES (${projection}, 'running', ${lastEventAt}, now(), ${applied}, now())
    ON CONFLICT (projection) DO UPDATE SET
      last_event_at = GREATEST(projection_status.last_event_at, EXCLUDED.last_event_at),
      last_applied_at = now(),
      events_applied = projection_status.events_applied + EXCLUDED.events_applied,
      updated_at = now()`;
}

/** A batch whose versions are consecutive within each stream, judged by its envelopes: what the fast path can take. */
interface Continuation {
  count: number;
  partitions: string[];
  streams: string[];
  /** Per stream: the version the batch leaves it at, and the one it must stand at before. */
  versions: number[];
  previous: number[];
  lastEventAt: Date;
}

function continuation(enveloped: EnvelopedMessage[]): Continuation | null {
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
    versions: streams.map((s) => last.get(s) ?? 0),
    previous: streams.map((s) => (first.get(s) ?? 1) - 1),
    lastEventAt: new Date(canonical && latest !== null ? Date.parse(latest) : latestAt),
  };
}

/**
 * Moves each stream's checkpoint to the batch's last version only where it stands at the batch's first version minus
 * one, and says for how many streams that held. Each new version is sent negated for a stream that must already have
 * a checkpoint: if it has none, the row inserted shows a negative version and the batch is rolled back. Also records
 * the status, and tells whether any of the streams has events parked. Written with literals, as part of a simple
 * query: the stream ids are escaped, the versions are integers the envelope check let through.
 */
function moveCheckpointsIfContinuing(namespace: string, batch: Continuation): string {
  const projection = sqlLiteral(namespace);
  const streams = textArrayLiteral(batch.streams);
  const versions = batch.streams.map((_, i) => (batch.previous[i] === 0 ? 1 : -1) * (batch.versions[i] ?? 0));
  const previous = sqlLiteral(
    JSON.stringify(Object.fromEntries(batch.streams.map((stream, i) => [stream, batch.previous[i]]))),
  );
  return `
    WITH moved AS (
      INSERT INTO projection_checkpoints AS c (projection, stream_id, version, updated_at)
      SELECT ${projection}, s, v, now() FROM unnest(${streams}::text[], ${intArrayLiteral(versions)}::int[]) AS t(s, v)
      ON CONFLICT (projection, stream_id) DO UPDATE SET version = abs(EXCLUDED.version), updated_at = now()
       WHERE c.version = (${previous}::jsonb ->> EXCLUDED.stream_id)::int
      RETURNING c.version),
    status AS (${recordStatus(projection, sqlLiteral(batch.lastEventAt.toISOString()), String(batch.count))})
    SELECT (SELECT count(*)::int FROM moved WHERE version > 0) AS continued,
           EXISTS (SELECT 1 FROM unnest(${streams}::text[]) AS s(id)
                    WHERE EXISTS (SELECT 1 FROM projection_parked_events
                                   WHERE projection = ${projection} AND stream_id = s.id)) AS parked`;
}

function parkedOf(parked: Map<string, Map<number, ParkedRow>>, stream: string): Map<number, ParkedRow> {
  let forStream = parked.get(stream);
  if (!forStream) {
    forStream = new Map();
    parked.set(stream, forStream);
  }
  return forStream;
}
