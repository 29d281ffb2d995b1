import { isTimestamp } from './timestamps';

/**
 * CloudEvents 1.0, Kafka protocol binding, binary content mode: the event's attributes travel as `ce_*` headers and
 * the Kafka value is the JSON payload alone. Extension attributes carry the stream position and the
 * correlation/causation chain.
 */
export interface EventEnvelope {
  /** Unique per event; consumers deduplicate on it. */
  id: string;
  /** `tandem.orders.<Name>.v<major>` */
  type: string;
  source: string;
  /** The aggregate (stream) id; also the Kafka message key. */
  subject: string;
  /** ISO 8601 time the event was recorded. */
  time: string;
  /** Position of the event in its stream: 1, 2, 3… with no gaps. */
  streamVersion: number;
  correlationId: string;
  causationId: string;
  /**
   * W3C `traceparent`: stored, the command service's span that recorded the event; on Kafka, the relay's send span
   * (a child of that one) when tracing is on, else the stored value. Absent when not traced.
   */
  traceparent?: string;
  /**
   * On a `CustomerRegistered` of a customer who registered itself: the OpenID Connect subject (`sub`) of the
   * account the record belongs to, a pseudonymous id (no name, no email). The read side needs it to show a
   * customer only its own data. Sent as `ce_ownersubject`.
   */
  ownerSubject?: string;
  /**
   * Who issued the command (subject and roles), for the write DB's audit trail. Stored with the event, never sent
   * to Kafka: consumers have no need to know which person or employee acted, and the less personal data the stream
   * carries the less every consumer must protect (docs/events.md).
   */
  issuedBy?: { subject: string; roles: readonly string[] };
}

export const CE_HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  subject: 'ce_subject',
  time: 'ce_time',
  streamVersion: 'ce_streamversion',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  traceparent: 'ce_traceparent',
  ownerSubject: 'ce_ownersubject',
  contentType: 'content-type',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const EVENT_CONTENT_TYPE = 'application/json';

/** Version 00 of a W3C `traceparent` (trace id and parent span id, neither all zero, and the flags). */
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Each header as a JSON Schema of its string value: what the AsyncAPI document publishes as a message's headers.
 * Kept beside `toKafkaHeaders` so that a header cannot be sent without being documented (a test compares them).
 */
export function cloudEventHeaderSchemas(type: string): Record<string, Record<string, unknown>> {
  return {
    [CE_HEADERS.specversion]: {
      type: 'string',
      const: CLOUDEVENTS_SPEC_VERSION,
      description: 'CloudEvents spec version.',
    },
    [CE_HEADERS.id]: {
      type: 'string',
      format: 'uuid',
      description: 'Unique per event; consumers deduplicate on it (delivery is at least once).',
    },
    [CE_HEADERS.type]: { type: 'string', const: type, description: 'tandem.orders.<EventName>.v<major>' },
    [CE_HEADERS.source]: {
      type: 'string',
      format: 'uri-reference',
      description: 'The producing service, e.g. /tandem/command-service.',
    },
    [CE_HEADERS.subject]: {
      type: 'string',
      format: 'uuid',
      description: 'The aggregate (stream) id; equals the message key.',
    },
    [CE_HEADERS.time]: {
      type: 'string',
      format: 'date-time',
      description: 'When the event was recorded (RFC 3339).',
    },
    [CE_HEADERS.streamVersion]: {
      type: 'string',
      pattern: '^[1-9][0-9]*$',
      description: 'Position of the event in its stream: 1, 2, 3… without gaps (CloudEvents extension).',
    },
    [CE_HEADERS.correlationId]: {
      type: 'string',
      minLength: 1,
      description: 'The id of the request that started the chain (X-Correlation-Id).',
    },
    [CE_HEADERS.causationId]: {
      type: 'string',
      minLength: 1,
      description: 'The id of the command that caused this event.',
    },
    [CE_HEADERS.traceparent]: {
      type: 'string',
      pattern: TRACEPARENT.source,
      description:
        'W3C traceparent (CloudEvents distributed tracing extension); present when the command was traced. Optional: continue the trace from it, or ignore it.',
    },
    [CE_HEADERS.contentType]: {
      type: 'string',
      const: EVENT_CONTENT_TYPE,
      description: 'The payload is JSON.',
    },
    ...(type.startsWith('tandem.orders.CustomerRegistered.')
      ? {
          [CE_HEADERS.ownerSubject]: {
            type: 'string',
            pattern: '^[\\x21-\\x7e]{1,255}$',
            description:
              'Only when the customer registered itself: the OpenID Connect subject (sub) of the account the record ' +
              'belongs to, a pseudonymous id (no name or email). Absent when staff registered the customer.',
          },
        }
      : {}),
  };
}

/** Headers every event carries; `ce_traceparent` and `ce_ownersubject` are the ones that may be absent. */
export const REQUIRED_CE_HEADERS: readonly string[] = Object.values(CE_HEADERS).filter(
  (name) => name !== CE_HEADERS.traceparent && name !== CE_HEADERS.ownerSubject,
);

export function toKafkaHeaders(envelope: EventEnvelope): Record<string, string> {
  return {
    [CE_HEADERS.specversion]: CLOUDEVENTS_SPEC_VERSION,
    [CE_HEADERS.id]: envelope.id,
    [CE_HEADERS.type]: envelope.type,
    [CE_HEADERS.source]: envelope.source,
    [CE_HEADERS.subject]: envelope.subject,
    [CE_HEADERS.time]: envelope.time,
    [CE_HEADERS.streamVersion]: String(envelope.streamVersion),
    [CE_HEADERS.correlationId]: envelope.correlationId,
    [CE_HEADERS.causationId]: envelope.causationId,
    [CE_HEADERS.contentType]: EVENT_CONTENT_TYPE,
    ...(envelope.traceparent ? { [CE_HEADERS.traceparent]: envelope.traceparent } : {}),
    ...(envelope.ownerSubject ? { [CE_HEADERS.ownerSubject]: envelope.ownerSubject } : {}),
  };
}

/** An OpenID Connect `sub`: at most 255 ASCII characters (OpenID Connect Core §2), printable. */
const SUBJECT = /^[\x21-\x7e]{1,255}$/;

export class InvalidEnvelopeError extends Error {
  override readonly name = 'InvalidEnvelopeError';
}

type HeaderValue = Buffer | string | undefined | Array<Buffer | string>;

/** A header's first value as text; undefined when absent. */
function headerText(raw: HeaderValue): string | undefined {
  if (typeof raw === 'string') return raw;
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' || value === undefined ? value : value.toString();
}

/** A header every event carries, as text. */
function requiredHeader(raw: HeaderValue, name: string): string {
  const value = headerText(raw);
  if (value === undefined || value.length === 0) throw new InvalidEnvelopeError(`missing header ${name}`);
  return value;
}

/**
 * Whether the spec version header is `1.0`; read from its bytes when Kafka delivered it as a Buffer, as kafkajs does
 * (the only bytes that decode to `1.0`), so that the header is not decoded for every message.
 */
function isSupportedSpecVersion(raw: HeaderValue): boolean {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value === 'string' || value === undefined) return value === CLOUDEVENTS_SPEC_VERSION;
  return value.length === 3 && value[0] === 0x31 && value[1] === 0x2e && value[2] === 0x30;
}

/**
 * The stream version header as `Number` reads it. A Buffer of 1 to 15 ASCII digits (what the command service sends)
 * is read from its bytes: the same number, exactly, without decoding the header; anything else is decoded and read.
 */
function streamVersionOf(raw: HeaderValue): number {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' && value !== undefined && value.length > 0 && value.length <= 15) {
    let version = 0;
    let i = 0;
    for (; i < value.length; i++) {
      const digit = (value[i] as number) - 0x30;
      if (digit < 0 || digit > 9) break;
      version = version * 10 + digit;
    }
    if (i === value.length) return version;
  }
  return Number(requiredHeader(raw, CE_HEADERS.streamVersion));
}

const NO_HEADERS: Record<string, HeaderValue> = Object.freeze({});

/**
 * Reads the envelope back from Kafka headers, refusing a message that lacks a required attribute. Run for every
 * message a projection consumes, before anything else: written without closures or object spreads, which cost
 * more than the reading itself, and with each header looked up here by its own name (one lookup site per header,
 * which the engine specializes, rather than one site for every name).
 */
export function fromKafkaHeaders(headers: Record<string, HeaderValue> | undefined): EventEnvelope {
  const h = headers ?? NO_HEADERS;
  if (!isSupportedSpecVersion(h[CE_HEADERS.specversion])) {
    const specVersion = requiredHeader(h[CE_HEADERS.specversion], CE_HEADERS.specversion);
    throw new InvalidEnvelopeError(`unsupported ${CE_HEADERS.specversion} "${specVersion}"`);
  }
  const streamVersion = streamVersionOf(h[CE_HEADERS.streamVersion]);
  if (!Number.isSafeInteger(streamVersion) || streamVersion < 1) {
    throw new InvalidEnvelopeError(`${CE_HEADERS.streamVersion} must be a positive integer`);
  }
  const time = requiredHeader(h[CE_HEADERS.time], CE_HEADERS.time);
  // Tracing is optional and never a reason to refuse an event: a malformed traceparent is dropped.
  const traceparent = headerText(h[CE_HEADERS.traceparent]);
  if (!isTimestamp(time)) throw new InvalidEnvelopeError(`${CE_HEADERS.time} is not a timestamp`);
  const ownerSubject = headerText(h[CE_HEADERS.ownerSubject]);
  if (ownerSubject !== undefined && !SUBJECT.test(ownerSubject)) {
    throw new InvalidEnvelopeError(`${CE_HEADERS.ownerSubject} must be 1 to 255 visible ASCII characters`);
  }
  const envelope: EventEnvelope = {
    id: requiredHeader(h[CE_HEADERS.id], CE_HEADERS.id),
    type: requiredHeader(h[CE_HEADERS.type], CE_HEADERS.type),
    source: requiredHeader(h[CE_HEADERS.source], CE_HEADERS.source),
    subject: requiredHeader(h[CE_HEADERS.subject], CE_HEADERS.subject),
    time,
    streamVersion,
    correlationId: requiredHeader(h[CE_HEADERS.correlationId], CE_HEADERS.correlationId),
    causationId: requiredHeader(h[CE_HEADERS.causationId], CE_HEADERS.causationId),
  };
  if (traceparent && TRACEPARENT.test(traceparent)) envelope.traceparent = traceparent;
  if (ownerSubject) envelope.ownerSubject = ownerSubject;
  return envelope;
}
