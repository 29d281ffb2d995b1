import type { PGlite } from '@electric-sql/pglite';

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

/** Frontend message types that end an extended-query cycle or are one on their own. */
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
/** The startup message has no type byte: its first byte is the high byte of its length, 0. */
const STARTUP = 0x00;
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);
/** Backend NotificationResponse: int32 process id, channel name, payload. */
const NOTIFICATION = 0x41; // 'A'
const LISTEN_STATEMENT = /^\s*(UN)?LISTEN\s+(\*|"[^"]+"|[^\s;]+)\s*;?\s*$/i;
const ROLLBACK_MESSAGE = queryMessage('ROLLBACK');

/**
 * Decides which connection's wire message PGlite runs next. PGlite has one session, so the messages of all
 * connections share it, and a connection must keep the session from its first message of an extended-query cycle
 * (Parse, Bind, Describe, Execute, ...) up to its Sync, and for the whole of a transaction. Otherwise another
 * connection's Parse replaces the unnamed statement between this one's Parse and Bind, or its simple query
 * destroys it: Bind then fails with `unnamed prepared statement does not exist`, Execute with `portal "" does not
 * exist`, or, worse, binds the other connection's statement and answers with the wrong rows.
 *
 * `@electric-sql/pglite-socket` 0.2.17's own queue keeps a connection exclusive only inside a transaction
 * (`isInTransaction()`), which misses the implicit transaction of an extended-query cycle. This scheduler has the
 * same three methods, so its `PGLiteSocketHandler` can use it in place of that queue.
 *
 * It also delivers notifications to the connections that listen. The one session's LISTEN is shared, and PGlite
 * writes a NotificationResponse into the answer of whichever connection committed the NOTIFY, whose client ignores
 * it: the outbox relay, which LISTENs on its own connection, then only noticed new rows by polling (every 250 ms).
 * So each connection's LISTEN and UNLISTEN (as simple queries) are recorded, and NotificationResponses are taken out
 * of the answers and written to the sockets of the connections listening on their channel.
 */
export class PGliteSessionScheduler {
  private queue: Pending[] = [];
  private running = false;
  /** The connection that holds the session: mid-cycle or in a transaction. */
  private owner: number | null = null;
  /** Channels each connection listens on, and how to write to it. */
  private readonly listeners = new Map<
    number,
    { channels: Set<string>; write: (data: Uint8Array) => void }
  >();

  constructor(private readonly db: PGlite) {}

  /** Makes a connection reachable for notifications (until `forget`). */
  register(handlerId: number, write: (data: Uint8Array) => void): void {
    this.listeners.set(handlerId, { channels: new Set(), write });
  }

  forget(handlerId: number): void {
    this.listeners.delete(handlerId);
  }

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((pending) => {
      if (pending.handlerId !== handlerId) return true;
      pending.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** A connection that went away while holding the session gives it back: its cycle and transaction ended. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRawStream(SYNC_MESSAGE, { onRawData: () => undefined });
      if (this.db.isInTransaction()) {
        await this.db.execProtocolRawStream(ROLLBACK_MESSAGE, { onRawData: () => undefined });
      }
    });
    this.owner = null;
    await this.pump();
  }

  private next(): Pending | undefined {
    const index = this.owner === null ? 0 : this.queue.findIndex((p) => p.handlerId === this.owner);
    // The owner has not sent its next message yet: everyone else waits for it.
    if (index < 0 || index >= this.queue.length) return undefined;
    return this.queue.splice(index, 1)[0];
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let pending = this.next(); pending; pending = this.next()) {
        const current = pending;
        const answer = new AnswerSplitter(current.onData, (notification) =>
          this.notify(notification, current),
        );
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, { onRawData: (data) => answer.push(data) }),
          );
        } catch (error) {
          // Never stall the other connections behind one failed message.
          this.owner = null;
          current.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        answer.end();
        const type = current.message[0];
        if (type === QUERY) this.recordListen(current.handlerId, current.message);
        const endsCycle = type === SYNC || type === QUERY || type === TERMINATE || type === STARTUP;
        this.owner = !endsCycle || this.db.isInTransaction() ? current.handlerId : null;
        current.resolve(answer.bytes);
      }
    } finally {
      this.running = false;
    }
  }

  private recordListen(handlerId: number, message: Uint8Array): void {
    const listener = this.listeners.get(handlerId);
    if (!listener) return;
    const sql = Buffer.from(message.subarray(5, message.length - 1)).toString('utf8');
    const match = LISTEN_STATEMENT.exec(sql);
    if (!match?.[2]) return;
    const channel = match[2].startsWith('"') ? match[2].slice(1, -1) : match[2].toLowerCase();
    if (!match[1]) listener.channels.add(channel);
    else if (channel === '*') listener.channels.clear();
    else listener.channels.delete(channel);
  }

  /** Writes a NotificationResponse to every connection listening on its channel (else where it was produced). */
  private notify(notification: Uint8Array, producedFor: Pending): void {
    const end = notification.indexOf(0, 9);
    const channel = Buffer.from(notification.subarray(9, end < 0 ? notification.length : end)).toString(
      'utf8',
    );
    let delivered = false;
    for (const listener of this.listeners.values()) {
      if (!listener.channels.has(channel)) continue;
      listener.write(notification);
      delivered = true;
    }
    if (!delivered) producedFor.onData(notification);
  }
}

/**
 * Cuts PGlite's answer into backend messages: NotificationResponses go to `onNotification`, everything else to
 * `onData` in order, in as few writes as the chunks allow.
 */
class AnswerSplitter {
  bytes = 0;
  private rest: Buffer = Buffer.alloc(0);

  constructor(
    private readonly onData: (data: Uint8Array) => void,
    private readonly onNotification: (message: Uint8Array) => void,
  ) {}

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : Buffer.from(chunk);
    let start = 0;
    let offset = 0;
    while (offset + 5 <= data.length) {
      const length = 1 + data.readInt32BE(offset + 1);
      if (offset + length > data.length) break;
      if (data[offset] === NOTIFICATION) {
        if (offset > start) this.onData(new Uint8Array(data.subarray(start, offset)));
        this.onNotification(new Uint8Array(data.subarray(offset, offset + length)));
        start = offset + length;
      }
      offset += length;
    }
    if (offset > start) this.onData(new Uint8Array(data.subarray(start, offset)));
    this.rest = Buffer.from(data.subarray(offset));
  }

  /** Whatever did not parse as a whole message is passed on as it is. */
  end(): void {
    if (this.rest.length > 0) this.onData(new Uint8Array(this.rest));
    this.rest = Buffer.alloc(0);
  }
}

function queryMessage(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(1 + 4 + text.length);
  message[0] = QUERY;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}
