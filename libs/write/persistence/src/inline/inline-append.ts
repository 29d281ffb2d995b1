import type { TandemEvent } from '@tandem/contracts';
import {
  applyReadModel,
  counterModelWrites,
  handledTypes,
  type ModelEvent,
  type ReadModelContext,
} from '@tandem/platform/read-model';
import type { RecordedEvent } from '../outbox/outbox-writer';
import type { Sql } from '../transactions/sql';
import { claimCheckpointPart, lockCheckpoint, setCheckpoint } from './inline-checkpoints';
import type { InlineModel, InlineProjections } from './inline-projections';
import { STORED_EVENT_COLUMNS, storedModelEvent, type StoredEventRow } from './stored-events';

/** SQLSTATE of a held append whose inline claim missed (write migration 1796700000000). */
export const INLINE_CLAIM_MISSED = 'TI001';

export interface InlineAppendInput {
  streamId: string;
  expectedVersion: number;
  /** The events being appended, with the envelopes that go to the outbox. */
  recorded: ReadonlyArray<RecordedEvent & { event: TandemEvent }>;
  /** The types of the stream's events 1..expectedVersion, in order, when this transaction loaded all of them. */
  earlierTypes?: readonly string[];
}

/** The inline models' share of one append: parts of its statement, and what to do once it answered. */
export interface InlineAppend {
  /** `WITH` parts to follow `appended` (an INSERT into events returning `version`) in the append statement. */
  parts: string[];
  /** The statement's last part: one row saying, per model, whether its claim held (`claimed_<i>`: 0 or 1). */
  select: string;
  /**
   * The last part instead when the statement is held for COMMIT (no answer read): it fails with
   * `INLINE_CLAIM_MISSED` unless every claim held. Null when some model's writes cannot all go in the statement (a
   * document model, applied after it): the statement is then sent on its own and `finish` run.
   */
  heldSelect: string | null;
  /** Applies, in the same transaction, what the statement could not: document models, streams not caught up. */
  finish(sql: Sql, answer: Record<string, unknown> | undefined): Promise<void>;
}

/**
 * What the inline models add to an append: for each model that reads any of the new events, a claim of its
 * checkpoint of the stream and (for a counter model) its writes, guarded by that claim, all in the one statement
 * that appends the events. Null when no model reads them: the append is then the same statement as without inline
 * models. A claim fails only when the model has not seen an earlier event of the stream (written before the model
 * was filled, or by a replica not running it); then nothing of the model was written, and `finish` applies the
 * stream from the model's checkpoint up to the new version instead.
 */
export function planInlineAppend(
  inline: InlineProjections,
  input: InlineAppendInput,
  params: unknown[],
): InlineAppend | null {
  const models = inline.reading(input.recorded.map((r) => r.event.type));
  if (models.length === 0) return null;
  const events: ModelEvent<TandemEvent>[] = input.recorded.map(({ envelope, event }) => ({
    envelope,
    event,
  }));
  const lastVersion = input.expectedVersion + input.recorded.length;
  const known = input.earlierTypes?.length === input.expectedVersion ? input.earlierTypes : undefined;
  const parts: string[] = [];
  models.forEach((model, i) => {
    const readTypes = handledTypes(model);
    parts.push(
      `inline_claim_${i} AS (${claimCheckpointPart(
        {
          model: model.name,
          streamId: input.streamId,
          expectedVersion: input.expectedVersion,
          readTypes,
          lastRead: known ? lastIndexOf(known, readTypes) : null,
        },
        params,
      )})`,
    );
    if (model.kind === 'counters') {
      const writes = counterModelWrites(model, events, {
        table: model.table,
        params,
        when: `EXISTS (SELECT 1 FROM inline_claim_${i})`,
      });
      writes.forEach((write, j) => parts.push(`inline_write_${i}_${j} AS (${write})`));
    }
  });
  const claims = models.map((_, i) => `(SELECT count(*) FROM inline_claim_${i})::int`);
  return {
    parts,
    select: `SELECT ${claims.map((claim, i) => `${claim} AS claimed_${i}`).join(', ')}`,
    heldSelect: models.every((model) => model.kind === 'counters')
      ? `SELECT inline_claims_held(ARRAY[${claims.join(', ')}])`
      : null,
    finish: async (sql, answer) => {
      for (const [i, model] of models.entries()) {
        if (answer?.[`claimed_${i}`] !== 1) {
          await catchUpStream(sql, model, input.streamId, lastVersion);
        } else if (model.kind === 'document') {
          await applyReadModel(model, events, inlineContext(sql));
        }
      }
    },
  };
}

/**
 * Applies one stream to a model from its checkpoint up to `upTo`, in the caller's transaction: the stream's events
 * the model had not seen, then those just appended. The checkpoint row is locked first, so nothing else moves it.
 */
export async function catchUpStream(
  sql: Sql,
  model: InlineModel,
  streamId: string,
  upTo: number,
): Promise<void> {
  const from = await lockCheckpoint(sql, model.name, streamId);
  const rows = await sql.rows<StoredEventRow>(
    `SELECT ${STORED_EVENT_COLUMNS} FROM events e
      WHERE e.stream_id = $1 AND e.version > $2 AND e.version <= $3 AND e.type = ANY($4::text[])
      ORDER BY e.version`,
    [streamId, from, upTo, handledTypes(model)],
  );
  await applyReadModel(model, rows.map(storedModelEvent), inlineContext(sql));
  await setCheckpoint(sql, model.name, streamId, Math.max(from, upTo));
}

/** A model's statements in the command's transaction, on its own tables. */
export function inlineContext(sql: Sql): ReadModelContext {
  return {
    query: <Row>(text: string, params: unknown[]) => sql.rows<Row>(text, params),
    table: (name) => name,
  };
}

/** The 1-based version of the last event of one of `types`, or 0. */
function lastIndexOf(typesInOrder: readonly string[], types: readonly string[]): number {
  for (let i = typesInOrder.length - 1; i >= 0; i--) {
    if (types.includes(typesInOrder[i] ?? '')) return i + 1;
  }
  return 0;
}
