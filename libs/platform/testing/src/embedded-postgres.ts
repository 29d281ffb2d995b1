import { createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { PGliteSessionScheduler } from './pglite-session-scheduler';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const MAX_CONNECTIONS = 100;

/**
 * PGlite (Postgres compiled to WASM) behind a Postgres wire-protocol socket, so `pg` and TypeORM connect to it as
 * to a server. PGlite has one session: connections are multiplexed and a transaction holds the others back, so
 * session-level features (advisory locks, LISTEN) are shared by all clients. Tests that need them run on a real
 * server only (see `isRealPostgres`).
 *
 * Each connection is served by `@electric-sql/pglite-socket`'s handler (wire framing, SSL and cancel requests),
 * but the order in which connections take the one session is ours (`PGliteSessionScheduler`): a connection keeps
 * it for a whole extended-query cycle, not only inside a transaction, so concurrent parameterized queries from
 * several connections neither fail nor get each other's statements, and notifications reach the connections that
 * LISTEN on their channel.
 */
export async function startEmbeddedPostgres(
  options: { port?: number; dataDir?: string } = {},
): Promise<EmbeddedPostgres> {
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  await db.waitReady;
  const scheduler = new PGliteSessionScheduler(db);
  const handlers = new Set<PGLiteSocketHandler>();
  let stopping = false;

  const connect = (socket: Socket): void => {
    if (stopping || handlers.size >= MAX_CONNECTIONS) {
      socket.destroy();
      return;
    }
    const handler = new PGLiteSocketHandler({
      // The handler calls only enqueue, clearQueueForHandler and clearTransactionIfNeeded, which the scheduler
      // implements; the package does not export the type of its own queue.
      queryQueue: scheduler as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    scheduler.register(handler.handlerId, (data) => {
      if (socket.writable) socket.write(data);
    });
    const forget = (): void => {
      handlers.delete(handler);
      scheduler.forget(handler.handlerId);
    };
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  };

  const server: Server = createServer(connect);
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...handlers].map((handler) => handler.detach(true).catch(() => undefined)));
      handlers.clear();
      await closed;
      await db.close();
    },
  };
}
