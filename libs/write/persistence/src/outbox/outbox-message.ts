import type { EventEnvelope } from '@tandem/contracts';

/** One committed event waiting in the outbox, as the relay hands it to a publisher. */
export interface OutboxMessage {
  /** Outbox position (bigint, as text). */
  position: string;
  topic: string;
  /** The aggregate id: Kafka key, so one aggregate's events share a partition. */
  key: string;
  envelope: EventEnvelope;
  payload: unknown;
}

/** Sends a batch in the given order and resolves only once the broker acknowledged all of it. */
export interface OutboxPublisher {
  publish(messages: readonly OutboxMessage[]): Promise<void>;
}
