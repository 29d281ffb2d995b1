import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createLogger } from '@tandem/platform/observability';
import { parseGatewayConfig } from '../config';
import { createGateway } from '../gateway';
import { buildOpenApiDocument } from './openapi';

export const ROOT = path.resolve(__dirname, '../../../..');
/** The document as committed: what the typed client is generated from, and what a route change must regenerate. */
export const OPENAPI_DOCUMENT_FILE = 'docs/openapi.json';
export const CLIENT_TYPES_FILE = 'libs/client/src/generated/openapi.ts';

// Only placeholders: the gateway is built in this process and never listens, so nothing here is ever called.
const NOWHERE = 'http://127.0.0.1:9';
const OFFLINE_ENV = {
  COMMAND_SERVICE_URL: NOWHERE,
  QUERY_SERVICE_URL: NOWHERE,
  PROJECTION_SERVICE_URL: NOWHERE,
  AUTH_ISSUER: NOWHERE,
  AUTH_AUDIENCE: 'tandem-api',
  AUTH_JWKS_URL: `${NOWHERE}/jwks`,
  LOG_LEVEL: 'silent',
};

/** The OpenAPI document exactly as the gateway serves it at /api/openapi.json, built in process. */
export async function buildPublishedDocument(): Promise<OpenAPIObject> {
  const app = await createGateway(parseGatewayConfig(OFFLINE_ENV), createLogger('gateway', 'silent'));
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The document as committed in docs/openapi.json. */
export function committedDocument(): OpenAPIObject {
  return JSON.parse(readFileSync(path.join(ROOT, OPENAPI_DOCUMENT_FILE), 'utf8')) as OpenAPIObject;
}
