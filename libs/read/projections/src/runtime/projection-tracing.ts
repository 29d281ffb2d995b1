import { CE_HEADERS } from '@tandem/contracts';
import {
  endSpan,
  startProcessBatchSpan,
  startProcessSpan,
  withSpan,
  type ReceivedMessage,
} from '@tandem/platform/observability';
import type { IncomingMessage } from './incoming-message';

/**
 * Traces one transaction of a projection: a batch span (a new trace, linked to every message's sender) under which
 * the read-DB queries run, and for each message a span in that message's own trace (the child of the relay's send
 * span its `ce_traceparent` names, linked to the batch span), so a command's trace ends at its read model. Every
 * span lasts until the work settles: the batch is applied and its offsets committed, or it failed.
 */
export async function traceProjectionBatch<T>(
  consumerGroup: string,
  messages: readonly IncomingMessage[],
  work: () => Promise<T>,
): Promise<T> {
  const received = messages.map(receivedOf);
  const batch = startProcessBatchSpan(consumerGroup, received);
  const each = received.map((message) => startProcessSpan(consumerGroup, message, batch));
  try {
    const value = await withSpan(batch, work);
    for (const span of [...each, batch]) endSpan(span);
    return value;
  } catch (error) {
    for (const span of [...each, batch]) endSpan(span, error);
    throw error;
  }
}

function receivedOf(message: IncomingMessage): ReceivedMessage {
  const key = text(message.key);
  const id = text(message.headers[CE_HEADERS.id]);
  const traceparent = text(message.headers[CE_HEADERS.traceparent]);
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    ...(key !== undefined ? { key } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(traceparent !== undefined ? { traceparent } : {}),
  };
}

function text(value: Buffer | string | null | undefined | Array<Buffer | string>): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === null || first === undefined ? undefined : first.toString();
}
