import { randomUUID } from 'node:crypto';
import { decideOrder, type OrderCommand, type OrderCustomer, type OrderState } from '@tandem/write/domain';
import type { CommandTransactions } from '../transactions/command-transactions';

/**
 * One order command as the command service runs it (load, decide, append) in one command transaction, under an
 * idempotency key of its own when `idempotencyKey` is given.
 */
export async function orderCommand(
  transactions: CommandTransactions,
  orderId: string,
  command: (state: OrderState | null) => OrderCommand,
  idempotencyKey?: string,
): Promise<number> {
  const answer = await transactions.run(
    {
      correlationId: randomUUID(),
      commandId: idempotencyKey ?? randomUUID(),
      aggregateId: orderId,
      aggregateKind: 'order',
      ...(idempotencyKey ? { idempotency: { key: idempotencyKey, fingerprint: 'test' } } : {}),
    },
    async ({ orders }) => {
      const state = await orders.load(orderId);
      const version = await orders.append(orderId, state?.version ?? 0, decideOrder(command(state), state));
      return { outcome: 'changed', body: { id: orderId, version, consistencyToken: 'test' } };
    },
  );
  return answer.body.version;
}

export type OrderStep = 'create' | 'line' | 'place' | 'ship' | 'cancel';

/** One step of an order's life, as its command. */
export function stepCommand(step: OrderStep, orderId: string, customer: OrderCustomer, n = 0): OrderCommand {
  switch (step) {
    case 'create':
      return { type: 'CreateOrder', orderId, customerId: customer.customerId, customer };
    case 'line':
      return { type: 'AddOrderLine', orderId, sku: `SKU-${n}`, quantity: 1 + (n % 3), unitPrice: 125 + n };
    case 'place':
      return { type: 'PlaceOrder', orderId, customerCreditLimit: Number.MAX_SAFE_INTEGER };
    case 'ship':
      return { type: 'ShipOrder', orderId };
    case 'cancel':
      return { type: 'CancelOrder', orderId, reason: 'changed mind' };
  }
}

/** Runs the steps of one order in order; returns its id. */
export async function orderLife(
  transactions: CommandTransactions,
  customer: OrderCustomer,
  steps: readonly OrderStep[],
  orderId = randomUUID(),
): Promise<string> {
  for (const [n, step] of steps.entries()) {
    await orderCommand(transactions, orderId, () => stepCommand(step, orderId, customer, n));
  }
  return orderId;
}

/** The lives the tests pick from: open (placed), shipped, cancelled after placing, cancelled as a draft, a draft. */
export const ORDER_LIVES: ReadonlyArray<readonly OrderStep[]> = [
  ['create', 'line', 'line', 'place'],
  ['create', 'line', 'place', 'ship'],
  ['create', 'line', 'line', 'place', 'cancel'],
  ['create', 'line', 'cancel'],
  ['create', 'line'],
];
