import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { EventStream } from './event-stream';

/** A response whose socket takes nothing: every byte written stays queued, as with a client that stopped reading. */
class StalledResponse extends EventEmitter {
  written = '';
  writableLength = 0;
  destroyed = false;
  writableEnded = false;
  headers: Record<string, string> = {};
  status(): this {
    return this;
  }
  setHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  flushed = false;
  flushHeaders(): void {
    this.flushed = true;
  }
  write(text: string): boolean {
    this.written += text;
    this.writableLength += Buffer.byteLength(text);
    return false;
  }
  destroy(): void {
    this.destroyed = true;
  }
  end(): void {
    this.writableEnded = true;
  }
}

const limits = { heartbeatMs: 1_000, maxBufferedBytes: 4_096 };

describe('an event stream', () => {
  it('writes each event as id, event and one data line, after the headers that keep proxies from buffering', () => {
    const response = new StalledResponse();
    const stream = new EventStream(response as unknown as Response, limits, () => undefined);
    stream.open();
    stream.send('7', 'order', { id: 'o', version: 7 });
    expect(response.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    expect(response.flushed).toBe(true);
    expect(response.written).toBe('retry: 2000\n\nid: 7\nevent: order\ndata: {"id":"o","version":7}\n\n');
  });

  it('cuts a client that does not take what it is sent, instead of buffering for it', () => {
    const response = new StalledResponse();
    let slow = 0;
    const stream = new EventStream(response as unknown as Response, limits, () => (slow += 1));
    stream.open();
    for (let version = 1; version <= 100 && !stream.closed; version += 1) {
      stream.send(String(version), 'order', { padding: 'x'.repeat(500) });
    }
    expect(response.destroyed).toBe(true);
    expect(slow).toBe(1);
    expect(response.writableLength).toBeLessThan(limits.maxBufferedBytes + 1_000);
    const length = response.written.length;
    stream.send('101', 'order', {});
    expect(response.written.length).toBe(length);
  });

  it('heartbeats only a stream idle for the heartbeat interval', () => {
    const response = new StalledResponse();
    const stream = new EventStream(response as unknown as Response, limits, () => undefined);
    stream.open();
    stream.heartbeat(Date.now());
    expect(response.written).not.toContain(': heartbeat');
    stream.heartbeat(Date.now() + 1_000);
    expect(response.written).toContain(': heartbeat\n\n');
  });
});
