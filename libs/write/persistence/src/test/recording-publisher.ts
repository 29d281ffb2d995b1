import type { OutboxMessage, OutboxPublisher } from '../outbox/outbox-message';

/** Keeps what it was asked to publish; can be told to fail, as a broker that is down would. */
export class RecordingPublisher implements OutboxPublisher {
  readonly messages: OutboxMessage[] = [];
  failuresLeft = 0;

  async publish(messages: readonly OutboxMessage[]): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('broker unavailable');
    }
    this.messages.push(...messages);
  }

  /** The stream versions published for a key, on one topic (an order event goes to two). */
  versionsOf(key: string, topic = 'orders.order.v2'): number[] {
    return this.messages
      .filter((m) => m.key === key && m.topic === topic)
      .map((m) => m.envelope.streamVersion);
  }
}
