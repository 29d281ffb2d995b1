import { randomUUID } from 'node:crypto';
import { STAFF, type Caller } from './http';

export type CommandKind =
  | 'RegisterCustomer'
  | 'ChangeCreditLimit'
  | 'CreateOrder'
  | 'AddOrderLine'
  | 'RemoveOrderLine'
  | 'PlaceOrder'
  | 'ShipOrder'
  | 'CancelOrder';

/** A command the simulated customer means to send, and what its acknowledgement changes in what it knows. */
export interface PlannedCommand {
  kind: CommandKind;
  method: string;
  path: string;
  body: unknown;
  /** The aggregate it acts on (undefined for a creation: the answer names it). */
  aggregateId?: string;
  /** Updates the customer's knowledge with the acknowledged answer ({ id, version }). */
  acknowledged(answer: { id: string; version: number }): void;
}

interface KnownOrder {
  status: 'draft' | 'placed' | 'shipped' | 'cancelled';
  lines: Map<string, number>;
}

const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY'];
const CREDIT_LIMIT = 50_000_000;

function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/**
 * One customer of the load: it registers, then acts only on what its acknowledged commands made, as a real client
 * would (its commands run one at a time). `caller` sends them: staff, since the load ships orders too (a customer may
 * not), and one principal for every customer (the stack's rate limits per principal are raised out of its reach).
 */
export class SimulatedCustomer {
  readonly caller: Caller = STAFF;
  readonly label: string;
  id: string | null = null;
  private readonly currency = pick(CURRENCIES);
  private creditLimit = CREDIT_LIMIT;
  private readonly orders = new Map<string, KnownOrder>();
  private nextSku = 0;

  constructor(index: number) {
    this.label = `customer-${index}`;
  }

  /** Every order this customer has had acknowledged, with its last known status. */
  knownOrders(): string[] {
    return [...this.orders.keys()];
  }

  next(): PlannedCommand {
    const id = this.id;
    if (id === null) {
      return {
        kind: 'RegisterCustomer',
        method: 'POST',
        path: '/api/customers',
        body: {
          name: `Chaos ${this.label}`,
          email: `chaos+${randomUUID().slice(0, 12)}@example.com`,
          currency: this.currency,
          creditLimit: this.creditLimit,
        },
        acknowledged: (answer) => (this.id = answer.id),
      };
    }
    const drafts = this.inStatus('draft');
    // An order takes at most 100 lines: a customer stops adding well before.
    const growing = drafts.filter(([, order]) => order.lines.size < 20);
    const withLines = drafts.filter(([, order]) => order.lines.size > 0);
    const placed = this.inStatus('placed');
    const choices: Array<[number, () => PlannedCommand]> = [
      [drafts.length < 3 ? 15 : 1, () => this.createOrder(id)],
      [growing.length > 0 ? 30 : 0, () => this.addLine(pick(growing))],
      [withLines.length > 0 ? 5 : 0, () => this.removeLine(pick(withLines))],
      [withLines.length > 0 ? 15 : 0, () => this.transition(pick(withLines), 'place')],
      [placed.length > 0 ? 12 : 0, () => this.transition(pick(placed), 'ship')],
      [placed.length + drafts.length > 0 ? 4 : 0, () => this.cancel(pick([...placed, ...drafts]))],
      [2, () => this.changeCreditLimit(id)],
    ];
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let roll = Math.random() * total;
    for (const [weight, make] of choices) {
      roll -= weight;
      if (roll < 0 && weight > 0) return make();
    }
    return this.createOrder(id);
  }

  private inStatus(status: KnownOrder['status']): Array<[string, KnownOrder]> {
    return [...this.orders].filter(([, order]) => order.status === status);
  }

  private createOrder(customerId: string): PlannedCommand {
    return {
      kind: 'CreateOrder',
      method: 'POST',
      path: '/api/orders',
      body: { customerId },
      acknowledged: (answer) => this.orders.set(answer.id, { status: 'draft', lines: new Map() }),
    };
  }

  private addLine([orderId, order]: [string, KnownOrder]): PlannedCommand {
    const sku = `SKU-${this.nextSku++}`;
    const quantity = 1 + Math.floor(Math.random() * 3);
    const unitPrice = 100 + Math.floor(Math.random() * 1900);
    return {
      kind: 'AddOrderLine',
      method: 'POST',
      path: `/api/orders/${orderId}/lines`,
      body: { sku, quantity, unitPrice },
      aggregateId: orderId,
      acknowledged: () => order.lines.set(sku, quantity * unitPrice),
    };
  }

  private removeLine([orderId, order]: [string, KnownOrder]): PlannedCommand {
    const sku = pick([...order.lines.keys()]);
    return {
      kind: 'RemoveOrderLine',
      method: 'DELETE',
      path: `/api/orders/${orderId}/lines/${encodeURIComponent(sku)}`,
      body: undefined,
      aggregateId: orderId,
      acknowledged: () => order.lines.delete(sku),
    };
  }

  private transition([orderId, order]: [string, KnownOrder], to: 'place' | 'ship'): PlannedCommand {
    return {
      kind: to === 'place' ? 'PlaceOrder' : 'ShipOrder',
      method: 'POST',
      path: `/api/orders/${orderId}/${to}`,
      body: undefined,
      aggregateId: orderId,
      acknowledged: () => (order.status = to === 'place' ? 'placed' : 'shipped'),
    };
  }

  private cancel([orderId, order]: [string, KnownOrder]): PlannedCommand {
    return {
      kind: 'CancelOrder',
      method: 'POST',
      path: `/api/orders/${orderId}/cancel`,
      body: { reason: 'changed my mind' },
      aggregateId: orderId,
      acknowledged: () => (order.status = 'cancelled'),
    };
  }

  private changeCreditLimit(customerId: string): PlannedCommand {
    const creditLimit = this.creditLimit + 1000;
    return {
      kind: 'ChangeCreditLimit',
      method: 'PUT',
      path: `/api/customers/${customerId}/credit-limit`,
      body: { creditLimit },
      aggregateId: customerId,
      acknowledged: () => (this.creditLimit = creditLimit),
    };
  }
}
