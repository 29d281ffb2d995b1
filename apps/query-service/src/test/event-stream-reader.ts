import { request } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One Server-Sent Events answer as a test reads it: its status, the events and comments so far, and a way out. */
export interface StreamUnderTest {
  status: number;
  contentType: string | undefined;
  events: EventSourceMessage[];
  comments: string[];
  /** The problem body, when the answer was not a stream. */
  body: string;
  /** Resolves once `count` events have arrived (or rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<EventSourceMessage[]>;
  close(): void;
  closed: Promise<void>;
}

/** Opens a GET of an event stream on its own connection (no pooling: each stream holds one). */
export function openStream(url: string, headers: Record<string, string>): Promise<StreamUnderTest> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
    outgoing.on('error', reject);
    outgoing.on('response', (incoming) => {
      let ended!: () => void;
      const closed = new Promise<void>((done) => (ended = done));
      const waiters: Array<() => void> = [];
      const stream: StreamUnderTest = {
        status: incoming.statusCode ?? 0,
        contentType: incoming.headers['content-type'],
        events: [],
        comments: [],
        body: '',
        waitFor: (count, ms = 10_000) =>
          new Promise((done, fail) => {
            const check = () => stream.events.length >= count && (done(stream.events), true);
            if (check()) return;
            const timer = setTimeout(
              () => fail(new Error(`${stream.events.length} of ${count} events within ${ms} ms`)),
              ms,
            );
            waiters.push(() => check() && clearTimeout(timer));
          }),
        close: () => outgoing.destroy(),
        closed,
      };
      const parser = createParser({
        onEvent: (event) => {
          stream.events.push(event);
          for (const waiter of [...waiters]) waiter();
        },
        onComment: (comment) => stream.comments.push(comment),
      });
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        if (stream.status === 200) parser.feed(chunk);
        else stream.body += chunk;
      });
      incoming.on('close', () => ended());
      incoming.on('error', () => ended());
      if (stream.status !== 200) incoming.on('end', () => resolve(stream));
      else resolve(stream);
    });
    outgoing.end();
  });
}
