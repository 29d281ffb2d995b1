import type { RecordedEvent } from '../outbox/outbox-writer';

/** One event a command's transaction recorded, as its idempotency key keeps it for the command's status. */
export interface WrittenEvent {
  eventId: string;
  /** Domain event type, e.g. `OrderPlaced`. */
  type: string;
  streamId: string;
  version: number;
  recordedAt: string;
}

/**
 * The events the stores of one transaction attempt recorded, in order. The transaction stores them with the
 * command's answer, so that its status can find their outbox rows by id (a unique index) rather than by a scan.
 */
export class WrittenEvents {
  private readonly written: WrittenEvent[] = [];

  add(recorded: ReadonlyArray<RecordedEvent & { event: { type: string } }>): void {
    for (const { event, eventId, streamVersion, envelope } of recorded) {
      this.written.push({
        eventId,
        type: event.type,
        streamId: envelope.subject,
        version: streamVersion,
        recordedAt: envelope.time,
      });
    }
  }

  get events(): readonly WrittenEvent[] {
    return this.written;
  }
}
