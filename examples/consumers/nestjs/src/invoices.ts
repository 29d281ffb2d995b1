import { Injectable } from '@nestjs/common';

/** What the example team does with the events: it invoices placed orders (here, it keeps the invoices in memory). */
export interface Invoice {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  /** The CloudEvents id of the event that caused it: a redelivered event does not invoice twice. */
  eventId: string;
}

@Injectable()
export class Invoices {
  readonly issued = new Map<string, Invoice>();
  readonly cancelled = new Set<string>();

  issue(invoice: Invoice): void {
    if ([...this.issued.values()].some((i) => i.eventId === invoice.eventId)) return;
    this.issued.set(invoice.orderId, invoice);
  }

  cancel(orderId: string): void {
    if (this.issued.has(orderId)) this.cancelled.add(orderId);
  }
}
