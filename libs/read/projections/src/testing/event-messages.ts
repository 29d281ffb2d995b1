import { randomUUID } from 'node:crypto';
import { definitionOf, toKafkaHeaders, type TandemEvent, type EventEnvelope } from '@tandem/contracts';
import type { IncomingMessage } from '../runtime/incoming-message';
import { streamIdOf } from '../runtime/message-decoder';

/** Test fixtures: events as the outbox relay publishes them (CloudEvents binary mode), without a broker. */
export interface EventMessageOptions {
  streamVersion: number;
  time?: string;
  partition?: number;
  offset?: number | string;
  /** `ce_ownersubject`: the account a registered customer record belongs to. */
  ownerSubject?: string;
}

let nextOffset = 0;

export function envelopeFor(event: TandemEvent, options: EventMessageOptions): EventEnvelope {
  return {
    id: randomUUID(),
    type: definitionOf(event.type).type,
    source: 'tandem/command-service',
    subject: streamIdOf(event),
    time: options.time ?? new Date().toISOString(),
    streamVersion: options.streamVersion,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    ...(options.ownerSubject === undefined ? {} : { ownerSubject: options.ownerSubject }),
  };
}

export function eventMessage(event: TandemEvent, options: EventMessageOptions): IncomingMessage {
  const envelope = envelopeFor(event, options);
  return {
    topic: definitionOf(event.type).topic,
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
      const line = { sku: `SKU-${i}`, quantity: 2, unitPrice: 150 };
      total += line.quantity * line.unitPrice;
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

/** The messages of a story, with stream versions 1..n and event times a second apart from `start`. */
export function storyMessages(
  events: TandemEvent[],
  start = new Date('2026-11-28T10:00:00Z'),
  partition = 0,
): IncomingMessage[] {
  return events.map((event, i) =>
    eventMessage(event, {
      streamVersion: i + 1,
      time: new Date(start.getTime() + i * 1000).toISOString(),
      partition,
    }),
  );
}
