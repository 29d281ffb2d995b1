import type { OrderEvent } from '@tandem/contracts';
import { sqlLiteral } from '@tandem/platform/sql';
import { evolveOrder, type OrderState } from '@tandem/write/domain';
import { planInlineAppend } from '../inline/inline-append';
import { NO_INLINE_PROJECTIONS, type InlineProjections } from '../inline/inline-projections';
import { envelopeEvents, outboxInsert } from '../outbox/outbox-writer';
import type { CommandOrigin } from '../transactions/command-transactions';
import type { Sql } from '../transactions/sql';
import type { WrittenEvents } from '../transactions/written-events';
import type { OrderStore } from './order-store';
import { NO_ORDER_STATE_CACHE, type CachedOrder, type OrderStateCache } from './order-state-cache';
import {
  latestOrderEvents,
  storedForm,
  type EventVersionWritten,
  type StoredOrderEvent,
} from './stored-order-events';

export const ORDER_STREAM_TYPE = 'order';

/** The events of an order after a version, in order: what `load` reads. */
const ORDER_TAIL = `SELECT type, schema_version, data FROM events
       WHERE stream_id = $1 AND stream_type = $2 AND version > $3 ORDER BY version`;

/** `ORDER_TAIL` for the simple protocol (values as literals): a transaction's opening read. */
export function orderTailQuery(orderId: string, after: number): string {
  if (!Number.isSafeInteger(after)) throw new Error(`orderTailQuery: not a version: ${after}`);
  const values = [sqlLiteral(orderId), sqlLiteral(ORDER_STREAM_TYPE), String(after)];
  // One pass, so that a literal's own text is never taken for a later parameter.
  return ORDER_TAIL.replace(/\$([1-3])/g, (_, n: string) => values[Number(n) - 1] ?? '');
}

/**
 * An order's events as the transaction's opening round trip read them, after the version of `base` (the cached
 * state it was read against, or none: the whole stream). `load` folds them on `base`, not on whatever the cache
 * holds by then, so a concurrent load that moved the cache meanwhile cannot fold an event twice.
 */
export interface ReadOrderTail {
  readonly orderId: string;
  readonly base: CachedOrder | undefined;
  readonly rows: readonly StoredOrderEvent[];
}

export class PostgresOrderStore implements OrderStore {
  /** The types of each stream's events as loaded in this transaction: which earlier events an inline model reads. */
  private readonly loadedTypes = new Map<string, string[]>();

  constructor(
    private readonly sql: Sql,
    private readonly origin: CommandOrigin,
    private readonly inline: InlineProjections = NO_INLINE_PROJECTIONS,
    private readonly written?: WrittenEvents,
    private readonly versionWritten: EventVersionWritten = 2,
    private readonly cache: OrderStateCache = NO_ORDER_STATE_CACHE,
    /** Read in the transaction's opening round trip; used by the first load of that order, once. */
    private tail?: ReadOrderTail,
    /**
     * Whether an append the inline counter models read may be held for COMMIT too, on the bet that their claims
     * hold; if one misses, the commit fails with `INLINE_CLAIM_MISSED` and the command runs again without.
     */
    private readonly holdInlineClaims = false,
  ) {}

  /**
   * Folds the stream at its events' latest versions: rows written as v1 are upcast here, and stay as they are. An
   * order in the cache is read from the version after its cached one: one round trip still, but only the new rows.
   */
  async load(orderId: string): Promise<OrderState | null> {
    const tail = this.tail?.orderId === orderId ? this.tail : undefined;
    this.tail = undefined;
    const cached = tail ? tail.base : this.cache.get(orderId);
    const after = cached?.state.version ?? 0;
    const rows =
      tail?.rows ?? (await this.sql.rows<StoredOrderEvent>(ORDER_TAIL, [orderId, ORDER_STREAM_TYPE, after]));
    const types = [...(cached?.types ?? []), ...rows.map((event) => event.type)];
    this.loadedTypes.set(orderId, types);
    const known = cached ? { currency: cached.state.currency } : undefined;
    const state = latestOrderEvents(rows, known).reduce<OrderState | null>(
      (folded, event) => evolveOrder(folded, event),
      cached?.state ?? null,
    );
    if (state !== null && rows.length > 0) this.cache.set(orderId, { state, types });
    return state;
  }

  /**
   * The events and their outbox rows in one statement: a concurrent append of the same version fails it with a
   * unique violation, and neither is written. When no inline model reads the events, nothing needs its answer and
   * it is held to go out with the transaction's COMMIT (see `Sql.hold`), one round trip fewer. The inline models
   * that read any of the events are applied in the same statement (see `planInlineAppend`); held too, when they
   * are counter models and the transaction bets on their claims (`holdInlineClaims`).
   */
  async append(orderId: string, expectedVersion: number, events: readonly OrderEvent[]): Promise<number> {
    if (events.length === 0) return expectedVersion;
    const recorded = envelopeEvents(orderId, expectedVersion + 1, events, this.origin);
    const params: unknown[] = [];
    const rows = recorded.map(({ event, eventId, streamVersion, envelope }) => {
      const at = params.length;
      const stored = storedForm(event, this.versionWritten);
      params.push(
        orderId,
        ORDER_STREAM_TYPE,
        streamVersion,
        eventId,
        event.type,
        stored.schemaVersion,
        JSON.stringify(stored.data),
        JSON.stringify({
          correlationId: envelope.correlationId,
          causationId: envelope.causationId,
          ...(envelope.issuedBy ? { issuedBy: envelope.issuedBy } : {}),
        }),
        envelope.time,
      );
      return `(${Array.from({ length: 9 }, (_, i) => `$${at + i + 1}`).join(', ')})`;
    });
    const appended = `INSERT INTO events
         (stream_id, stream_type, version, event_id, type, schema_version, data, metadata, recorded_at)
       VALUES ${rows.join(', ')}`;
    const earlierTypes = this.loadedTypes.get(orderId);
    const inline = planInlineAppend(
      this.inline,
      { streamId: orderId, expectedVersion, recorded, ...(earlierTypes ? { earlierTypes } : {}) },
      params,
    );
    if (inline === null) {
      // Nothing reads its answer: it goes out with COMMIT. A concurrent append of the same version fails it there.
      this.sql.hold(`WITH appended AS (${appended}) ${outboxInsert(recorded, params)}`, params);
    } else {
      const withModels = `WITH appended AS (${appended} RETURNING version), outboxed AS (${outboxInsert(recorded, params)}),
           ${inline.parts.join(', ')}`;
      if (this.holdInlineClaims && inline.heldSelect !== null) {
        this.sql.hold(`${withModels} ${inline.heldSelect}`, params);
      } else {
        const [answer] = await this.sql.rows<Record<string, unknown>>(
          `${withModels} ${inline.select}`,
          params,
        );
        await inline.finish(this.sql, answer);
      }
    }
    this.written?.add(recorded);
    return expectedVersion + events.length;
  }
}
