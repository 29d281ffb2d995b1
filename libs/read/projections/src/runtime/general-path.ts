import type { QueryRunner } from 'typeorm';
import { setCheckpoints } from '../bookkeeping/checkpoints';
import { notifyCheckpointsStatement } from '../bookkeeping/checkpoint-notifications';
import { parkEvent, unparkEvent } from '../bookkeeping/parked-events';
import { parkedOf, readStreamPositions } from '../bookkeeping/stream-positions';
import { recordDeadLetter } from '../dead-letters/dead-letters';
import { passGate } from '../rebuild/rebuild-gate';
import { recordBatchStatus } from '../status/projection-status';
import type { BatchResult, BatchTarget } from './batch-result';
import { decodeParts, type DecodedMessage } from './message-decoder';
import { lockPartitions } from './partition-locks';
import { ProjectionRejectedEvent, type ProjectedEvent, type ProjectionContext } from './projection';
import { isTransientError } from './transient-error';

/**
 * Any batch, event by event against its streams' checkpoints, inside the caller's transaction. Per message, by its
 * stream version v against the stream's checkpoint c:
 *  - v ≤ c: already applied (redelivery, duplicate): nothing changes;
 *  - v = c + 1: applied, then any parked successors v+1, v+2… are applied in order;
 *  - v > c + 1: a gap; the event is parked in the read DB so the partition keeps flowing, and waits for the
 *    missing version (the status reports a stream that waits too long as stalled);
 *  - poison: dead-lettered; its stream does not advance (later versions park behind it) until an operator replays
 *    it, so a stream is never applied out of order.
 * With `isolateEach`, a savepoint around each event pins a failure on its event, which is then dead-lettered.
 */
export class GeneralPath {
  constructor(private readonly target: BatchTarget) {}

  async apply(runner: QueryRunner, decoded: DecodedMessage[], isolateEach: boolean): Promise<BatchResult> {
    const { projection, namespace } = this.target;
    const result: BatchResult = {
      path: 'general',
      applied: 0,
      duplicates: 0,
      parked: 0,
      deadLettered: [],
      lastEventAt: null,
    };
    await passGate(runner, namespace);
    await lockPartitions(
      runner,
      namespace,
      decoded.map((d) => d.message),
    );
    const streams = [...new Set(decoded.flatMap((d) => (d.envelope ? [d.envelope.subject] : [])))];
    const positions = await readStreamPositions(runner, namespace, streams);
    const { checkpoints, parked } = positions;
    const moved = new Set<string>();
    const deferred: ProjectedEvent[] | null = !isolateEach && projection.applyMany ? [] : null;

    const applyInOrder = async (item: DecodedMessage): Promise<void> => {
      const envelope = item.envelope;
      if (!envelope) {
        if (item.kind === 'poison') result.deadLettered.push(await recordDeadLetter(runner, namespace, item));
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
        const row = await parkEvent(runner, namespace, item.message, envelope);
        parkedOf(positions, stream).set(version, row);
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
        await unparkEvent(runner, namespace, stream, next.version);
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
    if (deferred && deferred.length > 0) await projection.applyMany?.(deferred, this.context(runner));

    // The checkpoints of the streams that moved and the status, in one statement (both always run: a data-modifying
    // WITH runs to completion whether or not its output is read).
    const ids = [...moved];
    await runner.query(
      `WITH checkpoints AS (${setCheckpoints('$1', '$2', '$3')})
       ${recordBatchStatus('$1', '$4', '$5')}`,
      [namespace, ids, ids.map((id) => checkpoints.get(id) ?? 0), result.lastEventAt, result.applied],
    );
    // Delivered when the caller's transaction commits: the waiting reads of these streams look again.
    if (ids.length > 0) await runner.query(notifyCheckpointsStatement(namespace, ids));
    return result;
  }

  /** Applies one event (or dead-letters it); true when its stream may advance past it. */
  private async applyOne(
    runner: QueryRunner,
    item: DecodedMessage,
    isolate: boolean,
    result: BatchResult,
    deferred: ProjectedEvent[] | null,
  ): Promise<boolean> {
    const { projection, namespace } = this.target;
    if (item.kind === 'poison') {
      result.deadLettered.push(await recordDeadLetter(runner, namespace, item));
      return false;
    }
    if (isolate) await runner.query('SAVEPOINT projection_event');
    try {
      if (deferred) deferred.push({ envelope: item.envelope, event: item.event });
      else await projection.apply({ envelope: item.envelope, event: item.event }, this.context(runner));
      if (isolate) await runner.query('RELEASE SAVEPOINT projection_event');
    } catch (error) {
      if (!isolate || isTransientError(error)) throw error;
      await runner.query('ROLLBACK TO SAVEPOINT projection_event');
      const message = error instanceof Error ? error.message : String(error);
      const reason = error instanceof ProjectionRejectedEvent ? 'handler-rejected' : 'handler-failed';
      result.deadLettered.push(
        await recordDeadLetter(
          runner,
          namespace,
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
      table: this.target.table,
    };
  }
}
