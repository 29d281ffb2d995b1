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
 */
export class PGliteSessionScheduler {
  private queue: Pending[] = [];
  private running = false;
  /** The connection that holds the session: mid-cycle or in a transaction. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

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
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          // Never stall the other connections behind one failed message.
          this.owner = null;
          current.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        const type = current.message[0];
        const endsCycle = type === SYNC || type === QUERY || type === TERMINATE || type === STARTUP;
        this.owner = !endsCycle || this.db.isInTransaction() ? current.handlerId : null;
        current.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
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
