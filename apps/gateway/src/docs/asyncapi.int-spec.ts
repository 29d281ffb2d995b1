import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { closedPortUrl } from '../test/stand-in-service';
import { startGateway, type GatewayUnderTest } from '../test/gateway-under-test';

/** The gateway serves the event contract: the same AsyncAPI document as docs/asyncapi.yaml, without any upstream. */
let gateway: GatewayUnderTest;

beforeAll(async () => {
  const nowhere = await closedPortUrl();
  gateway = await startGateway({
    COMMAND_SERVICE_URL: nowhere,
    QUERY_SERVICE_URL: nowhere,
    PROJECTION_SERVICE_URL: nowhere,
  });
});
afterAll(() => gateway?.close());

it('GET /api/asyncapi.json answers docs/asyncapi.yaml as JSON', async () => {
  const answer = await fetch(`${gateway.url}/api/asyncapi.json`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  const committed: unknown = parse(
    readFileSync(path.resolve(__dirname, '../../../../docs/asyncapi.yaml'), 'utf8'),
  );
  expect(await answer.json()).toEqual(committed);
});

it('keeps it out of the HTTP API document, which describes the HTTP API', async () => {
  const openapi = (await (await fetch(`${gateway.url}/api/openapi.json`)).json()) as { paths: object };
  expect(Object.keys(openapi.paths)).not.toContain('/api/asyncapi.json');
});
