import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The ports this process has handed out: a stack asks for several before any of its services listens, and must not
 * get the same one twice.
 */
const handedOut = new Set<number>();

/** The kernel's range for outgoing connections' local ports (Linux; the IANA range elsewhere). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux
  }
  return [49152, 65535];
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port that is free right now on 127.0.0.1, for a service started a moment later. It is taken below the kernel's
 * ephemeral range: a port the OS hands out for `listen(0)` comes from that range, which is also where every outgoing
 * connection (to Kafka, to PostgreSQL) takes its local port, so one of those could take it before the service binds
 * it (seen as a service exiting with EADDRINUSE on a busy machine).
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  const high = Math.min(ephemeralLow, 65536) - 1;
  const low = Math.max(1024, high - 12_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found on 127.0.0.1 between ${low} and ${high} after 200 tries`);
}
