import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry, type Logger } from '@tandem/platform/observability';
import { applyServerLimits } from './server-limits';

export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0 in tests). */
  readonly port: number;
  close(): Promise<void>;
}

/** Serves the metrics on `port`, unless it is 0 (off). */
export async function serveMetricsOn(port: number, logger: Logger): Promise<MetricsServer | null> {
  return port === 0 ? null : serveMetrics({ port, logger });
}

/**
 * Prometheus metrics on a management port of their own (`METRICS_PORT`), never on the API's: the API port is
 * what the ingress and the other services reach, and the metrics (routes, rates, the relay's state) are for the
 * scraper alone. `GET /metrics` answers the process's registry; anything else is a 404.
 */
export async function serveMetrics(options: {
  port: number;
  host?: string;
  logger?: Logger;
}): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    request.resume();
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('metrics are served at GET /metrics\n');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(text),
      (error: unknown) => {
        options.logger?.error({ err: error }, 'metrics could not be collected');
        response.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics could not be collected\n');
      },
    );
  });
  applyServerLimits(server);
  // It does not keep the process alive: the service's own shutdown decides when the process ends.
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger?.info({ metricsPort: port }, `metrics on port ${port} (GET /metrics)`);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
