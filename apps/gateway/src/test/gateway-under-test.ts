import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { TestIssuer } from '@tandem/platform/auth/testing';
import { createLogger } from '@tandem/platform/observability';
import { parseGatewayConfig } from '../config';
import { createGateway } from '../gateway';

/** The real gateway, booted in-process on a free port against the given upstream URLs. */
export interface GatewayUnderTest {
  app: INestApplication;
  url: string;
  issuer: TestIssuer;
  /** `fetch` of a path on the gateway, as staff unless `init.headers` has its own `authorization`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
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
  const issuer = await TestIssuer.shared();
  const staff = await issuer.staffHeaders();
  const config = parseGatewayConfig({ ...issuer.env, ...env, PORT: '0', LOG_LEVEL: 'silent' });
  const app = await createGateway(config, createLogger('gateway', 'silent'));
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    url,
    issuer,
    fetch: (path, init = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { ...staff, ...(init.headers as Record<string, string> | undefined) },
      }),
    close: async () => {
      server.closeAllConnections();
      await app.close();
    },
  };
}
