import type { CommandAccepted } from '@tandem/contracts';
import type { CustomerStore } from '../stores/customer-store';
import type { OrderStore } from '../stores/order-store';

/** Who asked for a command, carried into every event it records. */
export interface CommandOrigin {
  /** The request's `X-Correlation-Id`. */
  correlationId: string;
  /** The command's id: its `Idempotency-Key` when the client sent one, else a fresh id. */
  commandId: string;
  /** W3C `traceparent` of the span handling the command: its events carry it as `ce_traceparent`. */
  traceparent?: string;
  /** Who issued the command (its token's subject and roles): recorded with each event, never sent to Kafka. */
  issuedBy?: { subject: string; roles: readonly string[] };
}

export interface CommandOptions extends CommandOrigin {
  /** The client's `Idempotency-Key` and a fingerprint of what it asked (method, path, body). */
  idempotency?: { key: string; fingerprint: string };
  /** The aggregate the command writes: retries after a version conflict queue on it instead of racing again. */
  aggregateId?: string;
  /** Which kind of aggregate `aggregateId` is: the transaction reads it in its opening round trip. */
  aggregateKind?: 'order' | 'customer';
}

/**
 * What an accepted command answers, stored whole (as JSON) under its idempotency key so that a repeat gets it back
 * unchanged. Persistence does not read it: the command service's HTTP layer turns it into a status and headers.
 */
export interface CommandAnswer {
  /** The command created its aggregate, or changed one that existed. */
  outcome: 'created' | 'changed';
  body: CommandAccepted;
  /** True when this is the stored answer of an earlier request with the same idempotency key. */
  replayed?: boolean;
}

/** The stores of one write transaction. */
export interface WriteUnit {
  orders: OrderStore;
  customers: CustomerStore;
}

/**
 * Runs a command's work in one write-DB transaction: loads, decides and writes through the unit's stores, records
 * the answer under the idempotency key, commits. A version conflict re-runs the work (bounded) on fresh state.
 */
export interface CommandTransactions {
  run(options: CommandOptions, work: (unit: WriteUnit) => Promise<CommandAnswer>): Promise<CommandAnswer>;
}

export const COMMAND_TRANSACTIONS = Symbol('CommandTransactions');
