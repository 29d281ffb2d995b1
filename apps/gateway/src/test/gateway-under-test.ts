import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLogger } from '@tandem/platform/observability';
import { parseGatewayConfig } from '../config';
import { createGateway } from '../gateway';

/** The real gateway, booted in-process on a free port against the given upstream URLs. */
export interface GatewayUnderTest {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

export async function startGateway(
  env: {
    COMMAND_SERVICE_URL: string;
    QUERY_SERVICE_URL: string;
    PROJECTION_SERVICE_URL: string;
    UPSTREAM_TIMEOUT_MS?: string;
  } & Record<string, string | undefined>,
): Promise<GatewayUnderTest> {
  const config = parseGatewayConfig({ ...env, PORT: '0', LOG_LEVEL: 'silent' });
  const app = await createGateway(config, createLogger('gateway', 'silent'));
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    url,
    close: async () => {
      server.closeAllConnections();
      await app.close();
    },
  };
}
