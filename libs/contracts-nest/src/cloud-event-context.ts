import { BaseRpcContext } from '@nestjs/microservices';
import type { DecodedEvent, EventEnvelope } from '@tandem/contracts';

/** Where a message was read: the cluster's topic, partition, offset, and which delivery attempt this is (1, 2…). */
export interface KafkaPosition {
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

/**
 * The `@Ctx()` of a handler: the event's CloudEvents attributes as written (id, type, source, subject, time, stream
 * version, correlation and causation ids), the types it was upcast through, and where it was read.
 */
export class CloudEventContext extends BaseRpcContext<[EventEnvelope, KafkaPosition, DecodedEvent]> {
  getCloudEvent(): EventEnvelope {
    return this.args[0];
  }
  getPosition(): KafkaPosition {
    return this.args[1];
  }
  /** The aggregate id: the message key and `ce_subject`. */
  getSubject(): string {
    return this.args[0].subject;
  }
  /** The type written on Kafka, when the handler receives an upcast version of it. */
  getWrittenType(): string {
    return this.args[0].type;
  }
  getUpcastFrom(): readonly string[] {
    return this.args[2].upcastFrom;
  }
}
