import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  Inject,
  Injectable,
  Optional,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** Everything after SIGTERM must fit in Kubernetes' grace period (30 s) with room for the exit itself. */
export const SHUTDOWN_TIMEOUT_MS = 25_000;
/** How often connections that went idle while draining are closed. */
const IDLE_SWEEP_MS = 50;

export const SHUTDOWN_EXIT = Symbol('SHUTDOWN_EXIT');

/**
 * A service's shutdown as seen from its HTTP side. Nest runs the hooks on SIGTERM/SIGINT (createHttpApp enables
 * them) in this order: every `onModuleDestroy` (here: the service turns unready and starts draining), the HTTP
 * server's close (no new connection; requests in flight finish), then every `onApplicationShutdown` (the relay
 * finishes its batch, the consumers commit and leave their groups, pools close), then the process exits 0.
 *
 * Node's `server.close()` waits for every connection to end, and a kept-alive one (a gateway's pool, a probe's
 * client) stays open for the keep-alive timeout, 65 s, after its last answer: the rest of the shutdown would wait
 * for it, past the grace period. So while draining, each answer says `Connection: close`, and connections that are
 * idle are closed every 50 ms, each as soon as its request in flight has been answered.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy, OnApplicationShutdown {
  private since: number | null = null;
  private sweeper: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(SHUTDOWN_EXIT) private readonly exit: (code: number) => void = defaultExit,
  ) {}

  /** True from the moment the shutdown began: readiness answers 503. */
  get shuttingDown(): boolean {
    return this.since !== null;
  }

  onModuleDestroy(): void {
    if (this.since !== null) return;
    this.since = Date.now();
    const server = this.server();
    if (server) {
      server.on('request', closeAfterAnswer);
      this.sweeper = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    }
    this.deadline = setTimeout(() => {
      process.stderr.write(`shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS} ms: exiting now\n`);
      this.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    this.deadline.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    clearTimeout(this.deadline);
    this.server()?.off('request', closeAfterAnswer);
  }

  private server(): Server | undefined {
    const adapter = this.adapterHost.httpAdapter as { getHttpServer?: () => unknown } | undefined;
    const server = adapter?.getHttpServer?.();
    return server && typeof (server as Server).closeIdleConnections === 'function'
      ? (server as Server)
      : undefined;
  }
}

function closeAfterAnswer(_request: IncomingMessage, response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('connection', 'close');
}

function defaultExit(code: number): void {
  process.exit(code);
}
