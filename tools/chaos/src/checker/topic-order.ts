import { eventOfRecord, type TracedEvent } from './evidence';
import type { LoggedRecord } from './kafka-log';

export interface TopicReading {
  /** Each stream's events once each, in version order. */
  streams: Map<string, TracedEvent[]>;
  /** Every event id on the topic. */
  ids: Set<string>;
  /** Records that repeat an event already on the topic (at-least-once delivery: counted, not a failure). */
  duplicates: number;
  failures: string[];
}

/**
 * Reads a topic as a consumer must be able to rely on it: per key (the aggregate), in offset order, each new event
 * is the stream's next version (1, 2, 3…); a repeat of an event already seen (same ce_id) is a duplicate, which a
 * consumer drops; another event claiming a version already taken, a version skipped or going back, a record that is
 * not a CloudEvent, or a record keyed other than by its subject are failures. `ignore` lists injected poison.
 */
export function readStreams(topic: string, records: LoggedRecord[], ignore: Set<string>): TopicReading {
  const reading: TopicReading = { streams: new Map(), ids: new Set(), duplicates: 0, failures: [] };
  const fail = (text: string) => {
    if (reading.failures.length < 20) reading.failures.push(`${topic}: ${text}`);
  };
  const seen = new Map<string, Map<number, string>>();
  for (const record of records) {
    const id = record.headers['ce_id'] ?? '';
    if (ignore.has(id) || ignore.has(record.key)) continue;
    const event = eventOfRecord(record);
    if (!event) {
      fail(`record ${record.partition}/${record.offset} is not a readable event`);
      continue;
    }
    if (event.streamId !== record.key)
      fail(`record ${record.partition}/${record.offset} keyed ${record.key}, not its subject`);
    const versions = seen.get(event.streamId) ?? new Map<number, string>();
    seen.set(event.streamId, versions);
    const already = versions.get(event.version);
    if (already === event.eventId) {
      reading.duplicates++;
      continue;
    }
    if (already !== undefined) {
      fail(
        `stream ${event.streamId} version ${event.version}: two different events (${already}, ${event.eventId})`,
      );
      continue;
    }
    const stream = reading.streams.get(event.streamId) ?? [];
    const last = stream[stream.length - 1]?.version ?? 0;
    if (event.version !== last + 1) {
      fail(`stream ${event.streamId}: version ${event.version} after ${last} (out of order or a gap)`);
    }
    versions.set(event.version, event.eventId);
    stream.push(event);
    reading.streams.set(event.streamId, stream);
    reading.ids.add(event.eventId);
  }
  return reading;
}
