import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the broker, which advertises the proxy's port, so every Kafka client's connections pass
 * here. It reads each connection's first request header to learn the kafkajs `clientId` behind it, and can cut the
 * network for one client (the projection service's `projection-service`) and restore it, the others untouched.
 *
 * A cut is a partition, not a refusal: the client's open connections and the new ones it makes are held open and
 * silently swallowed (nothing forwarded, nothing answered), so its requests time out as on a real broken network.
 * Restoring resets those connections, as a healed network finds its old TCP connections dead.
 */
export interface KafkaProxy {
  readonly port: number;
  /** Cuts the network between Kafka and every connection of the client with this id. */
  cut(clientId: string): void;
  restore(): void;
  /** Connections per client id, for the report. */
  clients(): Record<string, number>;
  close(): Promise<void>;
}

interface Proxied {
  client: Socket;
  upstream: Socket | null;
  clientId: string | null;
  held: boolean;
}

/** A Kafka request header: int32 size, int16 api key, int16 version, int32 correlation id, int16 + client id. */
function clientIdOf(head: Buffer): string | null | undefined {
  if (head.length < 14) return undefined;
  const length = head.readInt16BE(12);
  if (length < 0) return null;
  if (head.length < 14 + length) return undefined;
  return head.subarray(14, 14 + length).toString('utf8');
}

export async function startKafkaProxy(target: { host: string; port: number }): Promise<KafkaProxy> {
  const connections = new Set<Proxied>();
  let cutClient: string | null = null;

  const hold = (conn: Proxied) => {
    conn.held = true;
    conn.upstream?.unpipe(conn.client);
    conn.client.unpipe();
    conn.upstream?.pause();
    // Read and drop what the client sends, so it sees a socket that takes its requests and never answers.
    conn.client.removeAllListeners('data');
    conn.client.on('data', () => undefined);
    conn.client.resume();
  };

  const server = createServer((client) => {
    const conn: Proxied = { client, upstream: null, clientId: null, held: false };
    connections.add(conn);
    const forget = () => {
      connections.delete(conn);
      client.destroy();
      conn.upstream?.destroy();
    };
    client.on('error', forget).on('close', forget);
    let head = Buffer.alloc(0);
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const id = clientIdOf(head);
      if (id === undefined) return;
      client.off('data', onHead);
      client.pause();
      conn.clientId = id ?? '';
      if (cutClient !== null && conn.clientId === cutClient) {
        hold(conn);
        return;
      }
      const upstream = connect(target.port, target.host);
      conn.upstream = upstream;
      upstream.on('error', forget).on('close', forget);
      upstream.once('connect', () => {
        if (conn.held) return;
        upstream.write(head);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    client.on('data', onHead);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    cut(clientId) {
      cutClient = clientId;
      for (const conn of connections) if (conn.clientId === clientId) hold(conn);
    },
    restore() {
      cutClient = null;
      for (const conn of [...connections]) {
        if (!conn.held) continue;
        connections.delete(conn);
        conn.client.destroy();
        conn.upstream?.destroy();
      }
    },
    clients() {
      const counts: Record<string, number> = {};
      for (const conn of connections) {
        const id = conn.clientId ?? '(unknown)';
        counts[id] = (counts[id] ?? 0) + 1;
      }
      return counts;
    },
    async close() {
      for (const conn of connections) {
        conn.client.destroy();
        conn.upstream?.destroy();
      }
      connections.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
