import type { Socket } from 'node:net';
import { HANDLERS, type HandlerResult, type RequestContext, unsupportedApiVersionsBody } from './apis';
import type { Broker } from './broker';
import { API, apiRange } from './protocol/api-keys';
import { ProtocolError } from './protocol/protocol-error';
import { Reader } from './protocol/reader';
import { Writer } from './protocol/writer';

/** api key, api version, correlation id: what must be there before anything else can be said. */
const MIN_HEADER_BYTES = 8;
/** Frames decoded ahead of the one being processed before reading from the socket pauses. */
const MAX_QUEUED_FRAMES = 64;
/** Unsent response bytes after which the next request waits for the client to read. */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

export interface ConnectionOptions {
  broker: Broker;
  maxFrameBytes: number;
  log: (line: string) => void;
}

interface Frame {
  bytes: Buffer;
  /** Assembled from several socket chunks into a buffer nothing else references. */
  owned: boolean;
}

interface Outcome {
  correlationId: number;
  result: HandlerResult | Promise<HandlerResult>;
}

/**
 * One client connection: splits the byte stream into size-prefixed frames and processes them strictly one at a
 * time, so responses leave in request order (Kafka mutes a connection the same way while a request is in
 * flight). Anything that cannot be answered within the protocol closes this connection alone, with one log line.
 */
export class Connection {
  readonly peer: string;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being received, once its prefix is in; -1 while waiting for a prefix. */
  private frameSize = -1;
  private readonly queue: Frame[] = [];
  private busy = false;
  private closed = false;
  /** A line about this connection's failure is out: the socket error or close that follows adds none. */
  private reported = false;
  private clientId = '';
  private readonly closeListeners = new Set<() => void>();

  constructor(
    private readonly socket: Socket,
    private readonly opts: ConnectionOptions,
  ) {
    this.peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.guard(() => this.onData(chunk)));
    socket.on('error', (err: Error) => this.report(`connection failed: ${err.message}`));
    socket.on('close', () => this.onClose());
  }

  private label(): string {
    return this.clientId ? `${this.peer} (${this.clientId})` : this.peer;
  }

  private report(line: string): void {
    if (this.reported) return;
    this.reported = true;
    this.opts.log(`[${this.label()}] ${line}`);
  }

  /** Logs why and closes: the rest of this connection's byte stream can no longer be trusted. */
  private refuse(reason: string): void {
    this.report(`${reason}; closing connection`);
    this.closed = true;
    this.socket.destroy();
  }

  /** Runs an event handler; a bug in it closes this connection instead of crashing the whole broker. */
  private guard(handler: () => void): void {
    try {
      handler();
    } catch (err) {
      this.refuse(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  destroy(): void {
    this.reported = true;
    this.socket.destroy();
  }

  private onClose(): void {
    if (!this.closed && (this.buffered > 0 || this.frameSize >= 0)) {
      const expected = this.frameSize >= 0 ? `${this.frameSize}-byte request` : 'request size';
      this.report(
        `connection closed by the client in the middle of a ${expected} (${this.buffered} bytes received)`,
      );
    }
    this.closed = true;
    this.queue.length = 0;
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.frameSize < 0) {
        if (this.buffered < 4) break;
        const size = this.take(4).bytes.readInt32BE(0);
        if (size < 0 || size > this.opts.maxFrameBytes) {
          this.refuse(`request size ${size} outside 0..${this.opts.maxFrameBytes} bytes`);
          return;
        }
        this.frameSize = size;
      }
      if (this.buffered < this.frameSize) break;
      this.queue.push(this.take(this.frameSize));
      this.frameSize = -1;
    }
    if (this.queue.length >= MAX_QUEUED_FRAMES) this.socket.pause();
    this.pump();
  }

  /** Removes the next n buffered bytes; a view when they sit in one chunk, else one copy. */
  private take(n: number): Frame {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return { bytes: first.subarray(0, n), owned: false };
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0];
      if (!chunk) throw new Error('frame buffer underrun');
      const k = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, k);
      filled += k;
      if (k === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(k);
    }
    return { bytes: out, owned: true };
  }

  private pump(): void {
    while (!this.busy && !this.closed) {
      if (this.socket.writableLength > MAX_UNSENT_BYTES) {
        this.busy = true;
        this.socket.once('drain', () =>
          this.guard(() => {
            this.busy = false;
            this.pump();
          }),
        );
        return;
      }
      const next = this.queue.shift();
      if (!next) break;
      const frame = next.bytes;
      const outcome = this.process(frame, next.owned);
      if (!outcome) continue;
      const { correlationId, result } = outcome;
      if (result instanceof Promise) {
        this.busy = true;
        result.then(
          (body) =>
            this.guard(() => {
              this.busy = false;
              this.respond(correlationId, body);
              this.pump();
            }),
          (err: unknown) => {
            this.busy = false;
            this.failRequest(frame, err);
          },
        );
        return;
      }
      this.respond(correlationId, result);
    }
    if (!this.closed && this.queue.length < MAX_QUEUED_FRAMES / 2 && this.socket.isPaused())
      this.socket.resume();
  }

  private describe(frame: Buffer): string {
    if (frame.length < 4) return 'request';
    const range = apiRange(frame.readInt16BE(0));
    return `${range ? range.name : `API ${frame.readInt16BE(0)}`} v${frame.readInt16BE(2)} request`;
  }

  private failRequest(frame: Buffer, err: unknown): void {
    if (err instanceof ProtocolError) this.refuse(`malformed ${this.describe(frame)}: ${err.message}`);
    else
      this.refuse(
        `internal error on ${this.describe(frame)}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
  }

  private process(frame: Buffer, owned: boolean): Outcome | null {
    if (frame.length < MIN_HEADER_BYTES) {
      this.refuse(`request of ${frame.length} bytes is shorter than a request header`);
      return null;
    }
    const apiKey = frame.readInt16BE(0);
    const apiVersion = frame.readInt16BE(2);
    const correlationId = frame.readInt32BE(4);
    const range = apiRange(apiKey);
    const handler = HANDLERS.get(apiKey);
    if (!range || !handler) {
      this.refuse(`unknown API key ${apiKey} (version ${apiVersion})`);
      return null;
    }
    if (apiVersion < range.minVersion || apiVersion > range.maxVersion) {
      if (apiKey === API.ApiVersions) {
        // KIP-511: answer in the v0 layout and keep the connection, so the client retries at a version we have.
        this.opts.log(
          `[${this.label()}] ApiVersions v${apiVersion} is above ${range.maxVersion}: answered UNSUPPORTED_VERSION`,
        );
        return { correlationId, result: unsupportedApiVersionsBody };
      }
      this.refuse(
        `unsupported version ${apiVersion} of ${range.name} (this broker speaks ${range.minVersion}-${range.maxVersion})`,
      );
      return null;
    }
    try {
      const r = new Reader(frame, MIN_HEADER_BYTES);
      this.clientId = r.nullableString() ?? '';
      if (apiVersion >= range.firstFlexibleVersion) r.taggedFields();
      return { correlationId, result: handler(this.context(apiVersion, range.name, owned), r) };
    } catch (err) {
      this.failRequest(frame, err);
      return null;
    }
  }

  private context(apiVersion: number, apiName: string, ownsFrame: boolean): RequestContext {
    return {
      broker: this.opts.broker,
      apiVersion,
      ownsFrame,
      clientId: this.clientId,
      clientHost: `/${this.socket.remoteAddress ?? ''}`,
      log: (line) => this.opts.log(`[${this.label()}] ${apiName} v${apiVersion}: ${line}`),
      onClose: (listener) => {
        this.closeListeners.add(listener);
        return () => this.closeListeners.delete(listener);
      },
    };
  }

  private respond(correlationId: number, body: HandlerResult): void {
    if (body === null || this.closed) return;
    // Response header v0 (correlation id only) for every API here: none uses a flexible response header, and
    // ApiVersions keeps header v0 even at v3 so that a client can always parse it.
    const w = new Writer();
    w.int32(0).int32(correlationId);
    try {
      body(w);
    } catch (err) {
      this.refuse(
        `internal error encoding a response: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      return;
    }
    const chunks = w.toChunks();
    chunks[0].writeInt32BE(w.length - 4, 0);
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
  }
}
