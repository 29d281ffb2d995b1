import type { OrderEvent } from '@tandem/contracts';
import { evolveOrder, type OrderState } from '@tandem/write/domain';
import { envelopeEvents, enqueueInOutbox } from '../outbox/outbox-writer';
import type { CommandOrigin } from '../transactions/command-transactions';
import type { Sql } from '../transactions/sql';
import type { OrderStore } from './order-store';

export const ORDER_STREAM_TYPE = 'order';

export class PostgresOrderStore implements OrderStore {
  constructor(
    private readonly sql: Sql,
    private readonly origin: CommandOrigin,
  ) {}

  async load(orderId: string): Promise<OrderState | null> {
    const rows = await this.sql.rows<OrderEvent>(
      `SELECT type, data FROM events WHERE stream_id = $1 AND stream_type = $2 ORDER BY version`,
      [orderId, ORDER_STREAM_TYPE],
    );
    return rows.reduce<OrderState | null>((state, event) => evolveOrder(state, event), null);
  }

  async append(orderId: string, expectedVersion: number, events: readonly OrderEvent[]): Promise<number> {
    const recorded = envelopeEvents(orderId, expectedVersion + 1, events, this.origin);
    for (const { event, eventId, streamVersion, envelope } of recorded) {
      await this.sql.rows(
        `INSERT INTO events (stream_id, stream_type, version, event_id, type, data, metadata, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          orderId,
          ORDER_STREAM_TYPE,
          streamVersion,
          eventId,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify({ correlationId: envelope.correlationId, causationId: envelope.causationId }),
          envelope.time,
        ],
      );
    }
    await enqueueInOutbox(this.sql, recorded);
    return expectedVersion + events.length;
  }
}
