import type { Response } from 'express';

/** The headers of a `text/event-stream` answer that no proxy, cache or compressor on the way may hold back. */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform: a compressing proxy would buffer the stream to compress it.
  'cache-control': 'no-cache, no-transform',
  // nginx (and ingress-nginx) buffer proxied answers unless told not to.
  'x-accel-buffering': 'no',
};

/** How long a client waits before reconnecting after a dropped stream (the SSE `retry:` field). */
export const RECONNECT_MS = 2_000;

/**
 * One open Server-Sent Events answer. Writes never wait: when the client does not take what it was sent (more than
 * `maxBufferedBytes` queued in its socket), the stream is cut instead of buffering for it, and the client reconnects
 * with `Last-Event-ID` when it can keep up. `heartbeat` writes a comment on a stream idle for `heartbeatMs`, so that
 * proxies do not close it as idle.
 */
export class EventStream {
  private lastWrite = Date.now();
  private ended = false;

  constructor(
    private readonly response: Response,
    private readonly limits: { heartbeatMs: number; maxBufferedBytes: number },
    private readonly onSlowClient: () => void,
  ) {}

  /** Sends the headers at once (the client knows it is connected) and the reconnection delay. */
  open(): void {
    this.response.status(200);
    for (const [name, value] of Object.entries(EVENT_STREAM_HEADERS)) this.response.setHeader(name, value);
    this.response.flushHeaders();
    this.write(`retry: ${RECONNECT_MS}\n\n`);
  }

  get closed(): boolean {
    return this.ended || this.response.destroyed || this.response.writableEnded;
  }

  send(id: string, event: string, data: unknown): void {
    this.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  heartbeat(now: number): void {
    if (now - this.lastWrite >= this.limits.heartbeatMs) this.write(': heartbeat\n\n');
  }

  close(): void {
    this.ended = true;
    this.response.end();
  }

  private write(text: string): void {
    if (this.closed) return;
    this.response.write(text);
    this.lastWrite = Date.now();
    if (this.response.writableLength > this.limits.maxBufferedBytes) {
      this.ended = true;
      this.onSlowClient();
      this.response.destroy();
    }
  }
}
