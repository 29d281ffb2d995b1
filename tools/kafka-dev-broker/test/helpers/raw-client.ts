import { connect, type Socket } from 'node:net';
import { Reader } from '../../src/protocol/reader';
import { Writer } from '../../src/protocol/writer';

/**
 * A bare TCP Kafka client for protocol-level tests: sends hand-made frames and hands back raw response bodies,
 * so tests can do what no well-behaved client library would (bad bytes, repeated requests, lost responses).
 */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private waiters: Array<(frame: Buffer) => void> = [];
  private frames: Buffer[] = [];
  private correlationId = 0;
  readonly closed: Promise<void>;
  /** Kept from the start: a destroyed socket no longer reports it, and broker log lines name it. */
  readonly localPort: number;
  isClosed = false;

  private constructor(readonly socket: Socket) {
    this.localPort = socket.localPort ?? -1;
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length < 4 + size) break;
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        const waiter = this.waiters.shift();
        if (waiter) waiter(frame);
        else this.frames.push(frame);
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.isClosed = true;
        resolve();
      }),
    );
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** The next response frame (correlation id first), or an error once the broker closes the connection. */
  nextFrame(timeoutMs = 10_000): Promise<Buffer> {
    const ready = this.frames.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no response within timeout')), timeoutMs);
      void this.closed.then(() => {
        clearTimeout(timer);
        reject(new Error('connection closed by broker'));
      });
      this.waiters.push((frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });
  }

  /**
   * Sends a request (header v1, or v2 for a flexible version) and returns a reader over the response body, past
   * the correlation id.
   */
  async request(
    apiKey: number,
    apiVersion: number,
    body: (w: Writer) => void,
    flexibleHeader = false,
  ): Promise<Reader> {
    const correlationId = this.send(apiKey, apiVersion, body, flexibleHeader);
    const frame = await this.nextFrame();
    const r = new Reader(frame);
    const got = r.int32();
    if (got !== correlationId) throw new Error(`correlation id ${got}, expected ${correlationId}`);
    return r;
  }

  send(apiKey: number, apiVersion: number, body: (w: Writer) => void, flexibleHeader = false): number {
    const correlationId = ++this.correlationId;
    const w = new Writer();
    w.int16(apiKey).int16(apiVersion).int32(correlationId).string('raw-client');
    if (flexibleHeader) w.emptyTaggedFields();
    body(w);
    const payload = w.toBuffer();
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    this.socket.write(Buffer.concat([size, payload]));
    return correlationId;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async close(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }
}
