import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite (Postgres compiled to WASM) behind a Postgres wire-protocol socket, so `pg` and TypeORM connect to it as
 * to a server. PGlite has one session: connections are multiplexed and a transaction holds the others back, so
 * session-level features (advisory locks, LISTEN) are shared by all clients. Tests that need them run on a real
 * server only (see `isRealPostgres`).
 */
export async function startEmbeddedPostgres(
  options: { port?: number; dataDir?: string } = {},
): Promise<EmbeddedPostgres> {
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  const server = new PGLiteSocketServer({
    db,
    port: options.port ?? 0,
    host: '127.0.0.1',
    maxConnections: 100,
  });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
