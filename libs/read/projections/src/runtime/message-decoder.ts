import {
  fromKafkaHeaders,
  InvalidEnvelopeError,
  parseEvent,
  type EventEnvelope,
  type ConsumedEvent,
} from '@tandem/contracts';
import type { IncomingMessage } from './incoming-message';

export type PoisonReason =
  | 'invalid-envelope'
  | 'invalid-json'
  | 'unknown-type'
  | 'unknown-version'
  | 'invalid-payload'
  | 'subject-mismatch'
  | 'handler-rejected';

export type DecodedMessage =
  | { kind: 'event'; message: IncomingMessage; envelope: EventEnvelope; event: ConsumedEvent }
  | {
      kind: 'poison';
      message: IncomingMessage;
      envelope: EventEnvelope | null;
      reason: PoisonReason;
      error: string;
    };

/** A message whose CloudEvents headers were read, its payload not yet. */
export type EnvelopedMessage =
  | { kind: 'enveloped'; message: IncomingMessage; envelope: EventEnvelope }
  | Extract<DecodedMessage, { kind: 'poison' }>;

/** Turns a Kafka message into an event, or says why it is poison: none of these outcomes changes on retry. */
export function decodeMessage(message: IncomingMessage): DecodedMessage {
  return decodePayload(decodeEnvelope(message));
}

/** The first half of decoding: the envelope, from the message's headers. */
export function decodeEnvelope(message: IncomingMessage): EnvelopedMessage {
  try {
    return { kind: 'enveloped', message, envelope: fromKafkaHeaders(message.headers) };
  } catch (error) {
    if (!(error instanceof InvalidEnvelopeError)) throw error;
    return { kind: 'poison', message, envelope: null, reason: 'invalid-envelope', error: error.message };
  }
}

/** The rest: the payload, parsed and checked against its event's schema. */
export function decodePayload(item: EnvelopedMessage): DecodedMessage {
  if (item.kind === 'poison') return item;
  const { message, envelope } = item;
  return decodeParts(message, envelope, message.value === null ? null : message.value.toString());
}

/** The second half of decoding, also used for events that waited in the parked table. */
export function decodeParts(
  message: IncomingMessage,
  envelope: EventEnvelope,
  rawPayload: string | null,
): DecodedMessage {
  const poison = (reason: PoisonReason, error: string): DecodedMessage => ({
    kind: 'poison',
    message,
    envelope,
    reason,
    error,
  });
  if (rawPayload === null) return poison('invalid-json', 'the message has no value');
  let payload: unknown;
  try {
    payload = JSON.parse(rawPayload);
  } catch (error) {
    return poison('invalid-json', `the value is not JSON: ${(error as Error).message}`);
  }
  const parsed = parseEvent(envelope.type, payload);
  if (!parsed.ok) return poison(parsed.reason, parsed.message);
  const streamId = streamIdOf(parsed.event);
  if (streamId !== envelope.subject) {
    return poison(
      'subject-mismatch',
      `ce_subject ${envelope.subject} is not the event's stream ${streamId}: its version cannot be trusted`,
    );
  }
  return { kind: 'event', message, envelope, event: parsed.event };
}

/** The stream an event belongs to: the order for order events, the customer for customer events. */
export function streamIdOf(event: ConsumedEvent): string {
  const data: { orderId?: string; customerId?: string } = event.data;
  return data.orderId ?? data.customerId ?? '';
}
