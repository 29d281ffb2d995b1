import {
  fromKafkaHeaders,
  InvalidEnvelopeError,
  type EventEnvelope,
} from '../cloudevents/cloud-event-headers';
import { PUBLISHED_EVENTS } from '../events/published-events';
import { UPCASTERS } from '../events/upcasters';
import { EventRegistry, type StreamFacts } from './event-registry';

type HeaderValue = Buffer | string | undefined | Array<Buffer | string>;

/** What a Kafka client hands over for one message (kafkajs' `KafkaMessage` is one). */
export interface KafkaMessageLike {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, HeaderValue>;
}

export interface DecodedEvent<Data = unknown> {
  /** CloudEvents type of `data`: the version it was upcast to, or the one it was written as. */
  type: string;
  name: string;
  version: number;
  data: Data;
  /** The CloudEvents attributes, as written (its `type` is the version that was written). */
  context: EventEnvelope;
  key: string | undefined;
  /** The types it was upcast through, oldest first; empty when it was read as written. */
  upcastFrom: string[];
}

export type DecodeFailure = {
  ok: false;
  /** Every reason is permanent: retrying the same message cannot help, it belongs in a dead-letter topic. */
  reason:
    | 'invalid-envelope'
    | 'unknown-type'
    | 'unknown-version'
    | 'invalid-json'
    | 'invalid-payload'
    | 'upcast-failed';
  message: string;
  /** The CloudEvents type, when the headers were readable. */
  type?: string;
};
export type DecodeResult<Data = unknown> = { ok: true; event: DecodedEvent<Data> } | DecodeFailure;

export interface EventDecoderOptions {
  /** Default: every version Tandem publishes and every upcaster it ships. */
  registry?: EventRegistry;
  /** `latest` (default): upcast to the newest registered version; `none`: hand over the version as written. */
  upcast?: 'latest' | 'none';
  /** Refuse properties the schema does not declare (default: ignore them, as a tolerant reader does). */
  strict?: boolean;
}

/** The registry of everything this package knows: every published version and every shipped upcaster. */
export function createEventRegistry(): EventRegistry {
  return new EventRegistry(PUBLISHED_EVENTS, UPCASTERS);
}

const TYPE = /^tandem\.orders\.([A-Za-z]+)\.v(\d+)$/;

/**
 * Reads a Kafka message of Tandem's: the CloudEvents envelope from the `ce_*` headers, the JSON payload from the
 * value, validated against the schema of its type (version dispatch on `ce_type`), then upcast if asked.
 */
export class EventDecoder {
  readonly registry: EventRegistry;
  private readonly upcast: 'latest' | 'none';
  private readonly strict: boolean;

  constructor(options: EventDecoderOptions = {}) {
    this.registry = options.registry ?? createEventRegistry();
    this.upcast = options.upcast ?? 'latest';
    this.strict = options.strict ?? false;
  }

  /**
   * `until`: stop upcasting at this type, or at the first type it accepts (a consumer that handles v2 but not yet
   * v3); default: as far as the decoder's `upcast` option goes.
   * `stream`: what the caller knows of the event's stream, for an upcaster that `needs` it (`orderCurrency` to
   * take an OrderLineAdded.v1 to v2); without it that upcaster is not run.
   */
  decode<Data = unknown>(
    message: KafkaMessageLike,
    options: { until?: string | ((type: string) => boolean); stream?: StreamFacts } = {},
  ): DecodeResult<Data> {
    const { until, stream = {} } = options;
    const stopAt = (type: string): boolean => (typeof until === 'function' ? until(type) : type === until);
    let context: EventEnvelope;
    try {
      context = fromKafkaHeaders(message.headers);
    } catch (error) {
      if (error instanceof InvalidEnvelopeError)
        return { ok: false, reason: 'invalid-envelope', message: error.message };
      throw error;
    }
    const read = this.read(context, message.value);
    if (!read.ok) return read;
    let { type, data } = read;
    const upcastFrom: string[] = [];
    while (this.upcast === 'latest' && !stopAt(type)) {
      const upcaster = this.registry.upcasterFrom(type);
      if (!upcaster || (upcaster.needs !== undefined && stream[upcaster.needs] === undefined)) break;
      try {
        data = upcaster.upcast(data as never, context, stream);
      } catch (error) {
        return { ok: false, reason: 'upcast-failed', type, message: `upcasting ${type}: ${String(error)}` };
      }
      const parsed = this.registry.reader(upcaster.to.type, this.strict)?.safeParse(data);
      if (!parsed?.success) {
        return {
          ok: false,
          reason: 'upcast-failed',
          type,
          message: `${type} upcast to ${upcaster.to.type} is invalid`,
        };
      }
      upcastFrom.push(type);
      type = upcaster.to.type;
      data = parsed.data;
    }
    const definition = this.registry.definition(type);
    if (!definition) throw new Error(`${type} was decoded but is not registered`);
    const key = message.key === null || message.key === undefined ? undefined : message.key.toString();
    return {
      ok: true,
      event: {
        type,
        name: definition.name,
        version: definition.version,
        data: data as Data,
        context,
        key,
        upcastFrom,
      },
    };
  }

  private read(
    context: EventEnvelope,
    value: Buffer | string | null,
  ): { ok: true; type: string; data: unknown } | DecodeFailure {
    const { type } = context;
    const schema = this.registry.reader(type, this.strict);
    if (!schema) {
      const match = TYPE.exec(type);
      const versions = match?.[1] ? this.registry.versionsOf(match[1]) : [];
      return versions.length > 0
        ? {
            ok: false,
            reason: 'unknown-version',
            type,
            message: `${type}: this consumer knows ${match?.[1]} v${versions.join(', v')} only (a newer @tandem/contracts knows more)`,
          }
        : { ok: false, reason: 'unknown-type', type, message: `unknown event type "${type}"` };
    }
    let payload: unknown;
    try {
      payload = JSON.parse(value?.toString() ?? '');
    } catch {
      return { ok: false, reason: 'invalid-json', type, message: `${type}: the value is not JSON` };
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
        .join('; ');
      return { ok: false, reason: 'invalid-payload', type, message: `${type} payload is invalid: ${detail}` };
    }
    return { ok: true, type, data: parsed.data };
  }
}
