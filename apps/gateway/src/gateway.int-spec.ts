import { request as httpRequest } from 'node:http';
import { serveMetrics } from '@tandem/platform/http';
import { closedPortUrl, StandInService } from './test/stand-in-service';
import { startGateway, type GatewayUnderTest } from './test/gateway-under-test';

/**
 * The gateway forwards each public route to the service that owns it and passes the answer back unchanged.
 * Real HTTP on both sides: the gateway booted in-process, small node:http servers standing in for the services.
 */
const ORDER_ID = '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10';
const CUSTOMER_ID = '5d0e1c7a-8f2b-4c3d-a1e9-6b7f8c9d0e12';
const TOKEN = 'eyJrIjoib3JkZXIiLCJzIjoiMGI3YyIsInYiOjJ9';
/** What every command sends, with a body or without (a bare POST is refused: docs/api.md). */
const JSON_TYPE = { 'content-type': 'application/json' };

let command: StandInService;
let query: StandInService;
let projection: StandInService;
let gateway: GatewayUnderTest;
let staffAuthorization: string;

beforeAll(async () => {
  [command, query, projection] = await Promise.all([
    StandInService.start('command-service'),
    StandInService.start('query-service'),
    StandInService.start('projection-service'),
  ]);
  gateway = await startGateway({
    COMMAND_SERVICE_URL: command.url,
    QUERY_SERVICE_URL: query.url,
    PROJECTION_SERVICE_URL: projection.url,
    UPSTREAM_TIMEOUT_MS: '500',
  });
  staffAuthorization = (await gateway.issuer.staffHeaders()).authorization;
});

afterEach(() => {
  for (const service of [command, query, projection]) service.reset();
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all([command, query, projection].map((service) => service?.stop()));
});

function only(service: StandInService) {
  expect(service.received).toHaveLength(1);
  for (const other of [command, query, projection]) {
    if (other !== service) expect(other.received).toHaveLength(0);
  }
  return service.received[0]!;
}

describe('routing: every public route reaches the service that owns it, on the path in docs/services.md', () => {
  const routes: Array<
    [method: string, publicPath: string, owner: () => StandInService, upstreamPath: string]
  > = [
    ['POST', '/api/customers', () => command, '/api/customers'],
    [
      'PUT',
      `/api/customers/${CUSTOMER_ID}/credit-limit`,
      () => command,
      `/api/customers/${CUSTOMER_ID}/credit-limit`,
    ],
    ['POST', '/api/orders', () => command, '/api/orders'],
    ['POST', `/api/orders/${ORDER_ID}/lines`, () => command, `/api/orders/${ORDER_ID}/lines`],
    ['DELETE', `/api/orders/${ORDER_ID}/lines/SKU-1`, () => command, `/api/orders/${ORDER_ID}/lines/SKU-1`],
    ['POST', `/api/orders/${ORDER_ID}/place`, () => command, `/api/orders/${ORDER_ID}/place`],
    ['POST', `/api/orders/${ORDER_ID}/ship`, () => command, `/api/orders/${ORDER_ID}/ship`],
    ['POST', `/api/orders/${ORDER_ID}/cancel`, () => command, `/api/orders/${ORDER_ID}/cancel`],
    ['GET', `/api/customers/${CUSTOMER_ID}`, () => query, `/api/customers/${CUSTOMER_ID}`],
    ['GET', `/api/orders/${ORDER_ID}`, () => query, `/api/orders/${ORDER_ID}`],
    ['GET', '/api/orders', () => query, '/api/orders'],
    ['GET', '/api/reports/daily-sales', () => query, '/api/reports/daily-sales'],
    ['GET', '/api/admin/projections', () => projection, '/admin/projections'],
    ['GET', '/api/admin/projections/dead-letters', () => projection, '/admin/projections/dead-letters'],
    [
      'POST',
      '/api/admin/projections/order-summary/rebuild',
      () => projection,
      '/admin/projections/order-summary/rebuild',
    ],
  ];

  it.each(routes)('%s %s', async (method, publicPath, owner, upstreamPath) => {
    const roles = publicPath.startsWith('/api/admin/') ? ['admin' as const] : ['staff' as const];
    const answer = await gateway.fetch(publicPath, {
      method,
      headers: { ...JSON_TYPE, authorization: await gateway.issuer.authorization({ roles }) },
    });
    expect(answer.status).toBe(200);
    const received = only(owner());
    expect(received.method).toBe(method);
    expect(received.url).toBe(upstreamPath);
  });
});

describe('bodiless commands are not CORS simple requests', () => {
  it.each([
    ['no content type', {}],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['text/plain', { 'content-type': 'text/plain' }],
  ])('refuses a POST with %s and no X-Requested-With: 415, nothing forwarded', async (_, headers) => {
    const answer = await gateway.fetch(`/api/orders/${ORDER_ID}/place`, { method: 'POST', headers });
    expect(answer.status).toBe(415);
    expect(await answer.json()).toMatchObject({
      code: 'request.unsupported-media-type',
      detail: expect.stringContaining('X-Requested-With'),
    });
    expect(command.received).toHaveLength(0);
  });

  it.each([
    ['Content-Type: application/json and no body', JSON_TYPE],
    ['X-Requested-With', { 'x-requested-with': 'XMLHttpRequest' }],
  ])('forwards a bodiless POST with %s, and what made it acceptable', async (_, headers) => {
    const answer = await gateway.fetch(`/api/orders/${ORDER_ID}/place`, { method: 'POST', headers });
    expect(answer.status).toBe(200);
    expect(only(command).headers).toMatchObject(headers);
  });
});

describe('forwarding a command', () => {
  it('passes method, path, query, JSON body and the listed headers, and nothing else', async () => {
    command.answer(StandInService.ok({ id: ORDER_ID, version: 3, consistencyToken: TOKEN }));
    const answer = await gateway.fetch(`/api/orders/${ORDER_ID}/lines?dryRun=no&x=%20y`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': 'key-123',
        'if-match': '2',
        'x-correlation-id': 'corr-abc',
        'x-consistency-token': TOKEN,
        prefer: 'wait=3',
        authorization: staffAuthorization,
        cookie: 'session=1',
        'x-internal': 'no',
      },
      body: JSON.stringify({ sku: 'SKU-1', quantity: 2, unitPrice: 1999, note: "<script>'; DROP</script>" }),
    });

    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ id: ORDER_ID, version: 3, consistencyToken: TOKEN });
    const received = only(command);
    expect(received.method).toBe('POST');
    expect(received.url).toBe(`/api/orders/${ORDER_ID}/lines?dryRun=no&x=%20y`);
    expect(JSON.parse(received.body)).toEqual({
      sku: 'SKU-1',
      quantity: 2,
      unitPrice: 1999,
      note: "<script>'; DROP</script>",
    });
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': 'key-123',
      'if-match': '2',
      'x-correlation-id': 'corr-abc',
      'x-consistency-token': TOKEN,
      prefer: 'wait=3',
    });
    // The caller's token crosses unchanged: the service checks it again.
    expect(received.headers['authorization']).toBe(staffAuthorization);
    for (const header of ['cookie', 'x-internal']) {
      expect(received.headers[header]).toBeUndefined();
    }
    expect(answer.headers.get('x-correlation-id')).toBe('corr-abc');
  });

  it('sends the gateway’s own correlation id upstream when the client sent none', async () => {
    const answer = await gateway.fetch(`/api/orders/${ORDER_ID}/place`, {
      method: 'POST',
      headers: JSON_TYPE,
    });
    const id = answer.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const received = only(command);
    expect(received.headers['x-correlation-id']).toBe(id);
  });

  it('joins the caller’s W3C trace: the upstream gets the trace with the gateway’s span as parent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const answer = await gateway.fetch(`/api/orders/${ORDER_ID}/place`, {
      method: 'POST',
      headers: {
        ...JSON_TYPE,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        tracestate: 'vendor=opaque',
      },
    });
    const gatewaySpan = answer.headers.get('traceresponse');
    expect(gatewaySpan).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(gatewaySpan).not.toContain('00f067aa0ba902b7');
    const received = only(command);
    expect(received.headers['traceparent']).toBe(gatewaySpan);
    expect(received.headers['tracestate']).toBe('vendor=opaque');
  });

  it.each([
    ['missing', {}],
    ['invalid', { traceparent: '00-zzz-bad-01' }],
  ])('starts a new trace when the caller’s traceparent is %s', async (_case, headers) => {
    const answer = await gateway.fetch(`/api/orders/${ORDER_ID}/place`, {
      method: 'POST',
      headers: { ...JSON_TYPE, ...headers },
    });
    expect(answer.status).toBe(200);
    const gatewaySpan = answer.headers.get('traceresponse');
    expect(gatewaySpan).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(only(command).headers['traceparent']).toBe(gatewaySpan);
  });

  it('answers 201 with Location and the command answer unchanged', async () => {
    const body = JSON.stringify({ id: CUSTOMER_ID, version: 1, consistencyToken: TOKEN });
    command.answer({
      status: 201,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        location: `/api/customers/${CUSTOMER_ID}`,
        'x-internal-secret': 'must not leak',
      },
      body,
    });
    const answer = await gateway.fetch(`/api/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: JSON.stringify({ name: 'Ada', email: 'ada@example.com', currency: 'EUR', creditLimit: 100000 }),
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe(`/api/customers/${CUSTOMER_ID}`);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('x-internal-secret')).toBeNull();
    expect(await answer.text()).toBe(body);
  });

  it('does not leak the internal address in an absolute Location', async () => {
    command.answer({
      status: 201,
      headers: { location: `${command.url}/api/orders/${ORDER_ID}` },
      body: '{}',
    });
    const answer = await gateway.fetch(`/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.headers.get('location')).toBe(`/api/orders/${ORDER_ID}`);
  });

  it('passes a 409 problem back byte for byte, as application/problem+json', async () => {
    const problem = JSON.stringify({
      type: 'urn:tandem:problem:order.no-lines',
      title: 'Order has no lines',
      status: 409,
      detail: 'An order needs at least one line to be placed.',
      code: 'order.no-lines',
      instance: `/api/orders/${ORDER_ID}/place`,
    });
    command.answer({
      status: 409,
      headers: { 'content-type': 'application/problem+json; charset=utf-8' },
      body: problem,
    });
    const answer = await gateway.fetch(`/api/orders/${ORDER_ID}/place`, {
      method: 'POST',
      headers: JSON_TYPE,
    });
    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await answer.text()).toBe(problem);
  });

  it('passes 412 and 422 back, naming the public path as instance', async () => {
    for (const status of [412, 422]) {
      command.answer({
        status,
        headers: { 'content-type': 'application/problem+json' },
        body: `{"status":${status}}`,
      });
      const answer = await gateway.fetch(`/api/orders/${ORDER_ID}/ship`, {
        method: 'POST',
        headers: JSON_TYPE,
      });
      expect(answer.status).toBe(status);
      expect(await answer.json()).toEqual({ status, instance: `/api/orders/${ORDER_ID}/ship` });
    }
  });

  it('forwards a URL-encoded SKU in the path exactly as sent', async () => {
    await gateway.fetch(`/api/orders/${ORDER_ID}/lines/A%2FB%20C`, { method: 'DELETE' });
    expect(only(command).url).toBe(`/api/orders/${ORDER_ID}/lines/A%2FB%20C`);
  });
});

describe('forwarding a read', () => {
  it('passes the query string and the consistency headers, and returns freshness headers', async () => {
    query.answer(
      StandInService.ok({ items: [], nextCursor: null }, 200, {
        'x-data-as-of': '2026-11-29T00:00:00.000Z',
        'x-consistency': 'behind',
        'preference-applied': 'wait=3',
      }),
    );
    const search = `?customerId=${CUSTOMER_ID}&status=placed&from=2026-01-01T00%3A00%3A00Z&cursor=abc_-&limit=5`;
    const answer = await gateway.fetch(`/api/orders${search}`, {
      headers: { 'x-consistency-token': TOKEN, prefer: 'wait=3' },
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ items: [], nextCursor: null });
    expect(answer.headers.get('x-data-as-of')).toBe('2026-11-29T00:00:00.000Z');
    expect(answer.headers.get('x-consistency')).toBe('behind');
    expect(answer.headers.get('preference-applied')).toBe('wait=3');
    const received = only(query);
    expect(received.method).toBe('GET');
    expect(received.url).toBe(`/api/orders${search}`);
    expect(received.headers).toMatchObject({ 'x-consistency-token': TOKEN, prefer: 'wait=3' });
  });

  it('passes an ETag back, and a 304 with no body for If-None-Match', async () => {
    query.answer((request) =>
      request.headers['if-none-match'] === '"7"'
        ? { status: 304, headers: { etag: '"7"', 'x-data-as-of': '2026-11-29T00:00:01.000Z' } }
        : StandInService.ok({ id: ORDER_ID, version: 7 }, 200, { etag: '"7"' }),
    );
    const first = await gateway.fetch(`/api/orders/${ORDER_ID}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"7"');
    expect(await first.json()).toEqual({ id: ORDER_ID, version: 7 });

    const second = await gateway.fetch(`/api/orders/${ORDER_ID}`, {
      headers: { 'if-none-match': '"7"' },
    });
    expect(second.status).toBe(304);
    expect(second.headers.get('etag')).toBe('"7"');
    expect(second.headers.get('x-data-as-of')).toBe('2026-11-29T00:00:01.000Z');
    expect(await second.text()).toBe('');
    expect(query.received[1]!.headers['if-none-match']).toBe('"7"');
  });

  it('does not invent an ETag of its own', async () => {
    query.answer(StandInService.ok({ items: [] }));
    const answer = await gateway.fetch(`/api/reports/daily-sales?from=2026-11-01&to=2026-11-30`);
    expect(answer.headers.get('etag')).toBeNull();
    expect(only(query).url).toBe('/api/reports/daily-sales?from=2026-11-01&to=2026-11-30');
  });

  it('passes a 404 problem back, naming the public path as instance', async () => {
    query.answer({
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: '{"code":"order.not-found"}',
    });
    const answer = await gateway.fetch(`/api/orders/${ORDER_ID}`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(await answer.json()).toEqual({ code: 'order.not-found', instance: `/api/orders/${ORDER_ID}` });
  });

  it('never shows the internal path of a service behind a prefix: an admin 404 names the public one', async () => {
    projection.answer({
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: '{"status":404,"code":"route.not-found","instance":"/admin/projections/order-summary/nope"}',
    });
    const answer = await gateway.fetch(`/api/admin/projections/order-summary/nope`, {
      headers: { authorization: await gateway.issuer.authorization({ roles: ['admin'] }) },
    });
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({
      status: 404,
      code: 'route.not-found',
      instance: '/api/admin/projections/order-summary/nope',
    });
  });
});

describe('what the gateway answers itself', () => {
  async function expectProblem(answer: Response, status: number, code: string) {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await answer.json()) as { code: string; status: number; type: string };
    expect(body).toMatchObject({ code, status, type: `urn:tandem:problem:${code}` });
    return body;
  }

  it('malformed JSON: 400 problem, nothing forwarded', async () => {
    const answer = await gateway.fetch(`/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"customerId": ',
    });
    await expectProblem(answer, 400, 'request.malformed-json');
    expect(command.received).toHaveLength(0);
  });

  it('a body over 1 MB: 413 problem, nothing forwarded', async () => {
    const answer = await gateway.fetch(`/api/orders/${ORDER_ID}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'x'.repeat(1024 * 1024 + 1) }),
    });
    await expectProblem(answer, 413, 'request.too-large');
    expect(command.received).toHaveLength(0);
  });

  it('a body that is not JSON: 415 problem, nothing forwarded', async () => {
    const answer = await gateway.fetch(`/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'customerId=1',
    });
    await expectProblem(answer, 415, 'request.unsupported-media-type');
    expect(command.received).toHaveLength(0);
  });

  it('an unknown route: 404 problem', async () => {
    await expectProblem(await gateway.fetch(`/api/invoices`), 404, 'route.not-found');
  });

  it('a dot segment that URL parsing would collapse: 404 problem, nothing forwarded', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      // fetch would normalise the path itself; send it raw.
      const request = httpRequest(`${gateway.url}/api/admin/projections/../../health/ready`, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(404);
    expect(projection.received).toHaveLength(0);
  });

  it('an upstream that does not answer in time: 504 upstream.timeout', async () => {
    command.answer({ ...StandInService.ok({}), delayMs: 3000 });
    const body = await expectProblem(
      await gateway.fetch(`/api/orders/${ORDER_ID}/place`, { method: 'POST', headers: JSON_TYPE }),
      504,
      'upstream.timeout',
    );
    expect(body).toMatchObject({ service: 'command-service' });
  });
});

describe('upstreams down', () => {
  let isolated: GatewayUnderTest;

  beforeAll(async () => {
    isolated = await startGateway({
      COMMAND_SERVICE_URL: await closedPortUrl(),
      QUERY_SERVICE_URL: await closedPortUrl(),
      PROJECTION_SERVICE_URL: projection.url,
    });
  });
  afterAll(() => isolated?.close());

  it('answers 502 upstream.unavailable naming the service', async () => {
    const answer = await isolated.fetch(`/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: CUSTOMER_ID }),
    });
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await answer.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'urn:tandem:problem:upstream.unavailable',
      code: 'upstream.unavailable',
      status: 502,
      service: 'command-service',
    });
    expect(String(body['detail'])).toMatch(/^command-service could not be reached \(ECONNREFUSED\)/);

    const read = await isolated.fetch(`/api/orders/${ORDER_ID}`);
    expect(read.status).toBe(502);
    expect(await read.json()).toMatchObject({ service: 'query-service' });
  });

  it('is not ready, and names each upstream in the checks', async () => {
    const answer = await isolated.fetch(`/health/ready`);
    expect(answer.status).toBe(503);
    const body = (await answer.json()) as { checks: Array<{ name: string; status: string }> };
    expect(body.checks.map((c) => [c.name, c.status])).toEqual([
      ['command-service', 'down'],
      ['query-service', 'down'],
      ['projection-service', 'up'],
    ]);
  });
});

describe('health and metrics', () => {
  it('is live, and ready when every upstream is alive', async () => {
    expect((await gateway.fetch(`/health/live`)).status).toBe(200);
    const ready = await gateway.fetch(`/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: Array<{ name: string; status: string }> };
    expect(body.status).toBe('ready');
    expect(body.checks.map((c) => c.name)).toEqual([
      'command-service',
      'query-service',
      'projection-service',
    ]);
  });

  it('serves Prometheus metrics on the management port, including upstream latency, and not on the API', async () => {
    await gateway.fetch(`/api/orders/${ORDER_ID}`);
    const management = await serveMetrics({ port: 0, host: '127.0.0.1' });
    try {
      const answer = await fetch(`http://127.0.0.1:${management.port}/metrics`);
      expect(answer.status).toBe(200);
      const text = await answer.text();
      expect(text).toContain(
        'gateway_upstream_request_duration_seconds_count{service="query-service",outcome="200"}',
      );
      expect(text).toContain('http_request_duration_seconds');
    } finally {
      await management.close();
    }
    const onApi = await gateway.fetch(`/metrics`);
    expect(onApi.status).toBe(404);
    expect(await onApi.json()).toMatchObject({ code: 'route.not-found' });
  });
});
