import type { CustomerEvent, OrderEvent } from '@tandem/contracts';
import { evolveOrder, type CustomerState, type OrderState } from '@tandem/write/domain';
import type {
  CommandOptions,
  CommandAnswer,
  CommandTransactions,
  WriteUnit,
} from '@tandem/write/persistence';

/** Stores in memory for handler specs: what the handlers decide and append, without a database. */
export class InMemoryTransactions implements CommandTransactions {
  readonly streams = new Map<string, OrderEvent[]>();
  readonly customers = new Map<string, CustomerState>();
  readonly customerEvents: CustomerEvent[] = [];

  run(_options: CommandOptions, work: (unit: WriteUnit) => Promise<CommandAnswer>): Promise<CommandAnswer> {
    return work({
      orders: {
        load: async (orderId) =>
          (this.streams.get(orderId) ?? []).reduce<OrderState | null>(evolveOrder, null),
        append: async (orderId, expectedVersion, events) => {
          const stream = this.streams.get(orderId) ?? [];
          if (stream.length !== expectedVersion) throw new Error('version conflict');
          stream.push(...events);
          this.streams.set(orderId, stream);
          return stream.length;
        },
      },
      customers: {
        load: async (customerId) => this.customers.get(customerId) ?? null,
        isEmailTaken: async (email) =>
          [...this.customers.values()].some((c) => c.email.toLowerCase() === email.toLowerCase()),
        ownedBy: async (subject) =>
          [...this.customers.values()].find((c) => c.ownerSubject === subject)?.customerId ?? null,
        save: async (_previous, next, events) => {
          this.customers.set(next.customerId, next);
          this.customerEvents.push(...events);
        },
      },
    });
  }
}

export const options = (): CommandOptions => ({ correlationId: 'c', commandId: 'k' });
