import { randomUUID } from 'node:crypto';
import {
  definitionOfEvent,
  downcastToV1,
  toKafkaHeaders,
  type ConsumedEvent,
  type EventEnvelope,
  type TandemEvent,
} from '@tandem/contracts';
import type { IncomingMessage } from '../runtime/incoming-message';
import { streamIdOf } from '../runtime/message-decoder';

/** Test fixtures: events as the outbox relay publishes them (CloudEvents binary mode), without a broker. */
export interface EventMessageOptions {
  streamVersion: number;
  time?: string;
  partition?: number;
  offset?: number | string;
  /** The contract topic it came on; default: the one on which its version is current. */
  topic?: string;
  /** `ce_ownersubject`: the account a registered customer record belongs to. */
  ownerSubject?: string;
}

let nextOffset = 0;

export function envelopeFor(event: ConsumedEvent, options: EventMessageOptions): EventEnvelope {
  return {
    id: randomUUID(),
    type: definitionOfEvent(event).type,
    source: 'tandem/command-service',
    subject: streamIdOf(event),
    time: options.time ?? new Date().toISOString(),
    streamVersion: options.streamVersion,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    ...(options.ownerSubject === undefined ? {} : { ownerSubject: options.ownerSubject }),
  };
}

export function eventMessage(event: ConsumedEvent, options: EventMessageOptions): IncomingMessage {
  const envelope = envelopeFor(event, options);
  return {
    topic: options.topic ?? definitionOfEvent(event).topic,
    partition: options.partition ?? 0,
    offset: String(options.offset ?? nextOffset++),
    key: envelope.subject,
    value: JSON.stringify(event.data),
    headers: toKafkaHeaders(envelope),
  };
}

/** An order's events from creation, numbered 1, 2, 3… as its stream versions. */
export function orderStory(
  orderId: string,
  customerId: string,
  steps: Array<'line' | 'place' | 'ship' | 'cancel'>,
): TandemEvent[] {
  const events: TandemEvent[] = [{ type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } }];
  let total = 0;
  let status: 'draft' | 'placed' = 'draft';
  steps.forEach((step, i) => {
    if (step === 'line') {
      const line = { sku: `SKU-${i}`, quantity: 2, unitPrice: { amount: 150, currency: 'EUR' } };
      total += line.quantity * line.unitPrice.amount;
      events.push({ type: 'OrderLineAdded', data: { orderId, ...line } });
    } else if (step === 'place') {
      events.push({ type: 'OrderPlaced', data: { orderId, customerId, total, currency: 'EUR' } });
      status = 'placed';
    } else if (step === 'ship') {
      events.push({ type: 'OrderShipped', data: { orderId, customerId, total, currency: 'EUR' } });
    } else {
      events.push({
        type: 'OrderCancelled',
        data: { orderId, customerId, reason: 'changed mind', previousStatus: status, total, currency: 'EUR' },
      });
    }
  });
  return events;
}

/** The same events as `orders.order.v1` carries them: OrderLineAdded downcast to v1, the others unchanged. */
export function asV1(events: readonly TandemEvent[]): ConsumedEvent[] {
  return events.map((event) => ({ type: event.type, data: downcastToV1(event).data }) as ConsumedEvent);
}

/** The messages of a story, with stream versions 1..n and event times a second apart from `start`. */
export function storyMessages(
  events: ConsumedEvent[],
  start = new Date('2026-11-28T10:00:00Z'),
  partition = 0,
  topic?: string,
): IncomingMessage[] {
  return events.map((event, i) =>
    eventMessage(event, {
      streamVersion: i + 1,
      time: new Date(start.getTime() + i * 1000).toISOString(),
      partition,
      ...(topic ? { topic } : {}),
    }),
  );
}
