import { z } from 'zod';
import {
  AddOrderLineRequest,
  CancelOrderRequest,
  ChangeCreditLimitRequest,
  CommandAccepted,
  CreateOrderRequest,
  RegisterCustomerRequest,
} from '@tandem/contracts';
import { closedPortUrl } from '../test/stand-in-service';
import { startGateway, type GatewayUnderTest } from '../test/gateway-under-test';

/** The published API document: every path of the public contract, with schemas taken from libs/contracts. */
interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<
    string,
    { headers?: Record<string, unknown>; content?: Record<string, { schema: { $ref?: string } }> }
  >;
}
interface Document {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

let gateway: GatewayUnderTest;
let document: Document;

beforeAll(async () => {
  const nowhere = await closedPortUrl();
  gateway = await startGateway({
    COMMAND_SERVICE_URL: nowhere,
    QUERY_SERVICE_URL: nowhere,
    PROJECTION_SERVICE_URL: nowhere,
  });
  const answer = await gateway.fetch(`/api/openapi.json`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  document = (await answer.json()) as Document;
});

afterAll(() => gateway?.close());

const ref = (name: string) => `#/components/schemas/${name}`;

// The public contract of the workspace issue: path → methods.
const PUBLIC_API: Record<string, string[]> = {
  '/api/customers': ['post'],
  '/api/customers/{id}/credit-limit': ['put'],
  '/api/customers/{id}': ['get'],
  '/api/orders': ['get', 'post'],
  '/api/orders/{id}/lines': ['post'],
  '/api/orders/{id}/lines/{sku}': ['delete'],
  '/api/orders/{id}/place': ['post'],
  '/api/orders/{id}/ship': ['post'],
  '/api/orders/{id}/cancel': ['post'],
  '/api/orders/{id}': ['get'],
  '/api/reports/daily-sales': ['get'],
  '/api/admin/projections': ['get'],
  '/api/commands/{idempotencyKey}': ['get'],
  '/health/live': ['get'],
  '/health/ready': ['get'],
};

const COMMANDS: Array<[path: string, method: string, body: string | undefined, created: boolean]> = [
  ['/api/customers', 'post', 'RegisterCustomerRequest', true],
  ['/api/customers/{id}/credit-limit', 'put', 'ChangeCreditLimitRequest', false],
  ['/api/orders', 'post', 'CreateOrderRequest', true],
  ['/api/orders/{id}/lines', 'post', 'AddOrderLineRequest', false],
  ['/api/orders/{id}/lines/{sku}', 'delete', undefined, false],
  ['/api/orders/{id}/place', 'post', undefined, false],
  ['/api/orders/{id}/ship', 'post', undefined, false],
  ['/api/orders/{id}/cancel', 'post', 'CancelOrderRequest', false],
];

const READS: Array<[path: string, schema: string, conditional: boolean]> = [
  ['/api/customers/{id}', 'Customer', true],
  ['/api/orders/{id}', 'OrderSummary', true],
  ['/api/orders', 'OrderPage', false],
  ['/api/reports/daily-sales', 'DailySalesReport', false],
];

describe('GET /api/openapi.json', () => {
  it('is the Tandem API, OpenAPI 3, describing tokens, keys, problems and freshness', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('Tandem API');
    for (const topic of [
      'Idempotency-Key',
      'If-Match',
      'X-Consistency-Token',
      'Prefer',
      'problem+json',
      'X-Data-As-Of',
    ]) {
      expect(document.info.description).toContain(topic);
    }
  });

  it('lists every public path with its methods', () => {
    for (const [path, methods] of Object.entries(PUBLIC_API)) {
      expect(Object.keys(document.paths[path] ?? {}).sort()).toEqual([...methods].sort());
    }
  });

  it('takes its request and answer schemas from libs/contracts', () => {
    const contracts = {
      RegisterCustomerRequest,
      ChangeCreditLimitRequest,
      CreateOrderRequest,
      AddOrderLineRequest,
      CancelOrderRequest,
    };
    for (const [name, schema] of Object.entries(contracts)) {
      const expected = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as Record<
        string,
        unknown
      >;
      expect(document.components.schemas[name]).toMatchObject({
        ...expected,
        properties: expect.objectContaining(
          Object.fromEntries(
            Object.keys(expected['properties'] as object).map((key) => [key, expect.anything()]),
          ),
        ),
      });
    }
    expect(document.components.schemas['CommandAccepted']).toEqual(
      z.toJSONSchema(CommandAccepted, { target: 'openapi-3.0', io: 'output' }),
    );
    // The currency rule is a lookup: the document lists the accepted codes.
    expect(document.components.schemas['RegisterCustomerRequest']).toMatchObject({
      properties: { currency: { enum: expect.arrayContaining(['EUR', 'USD', 'JPY']) } },
    });
  });

  it.each(COMMANDS)('%s %s: body, idempotency, answer, problems', (path, method, body, created) => {
    const operation = document.paths[path]![method]!;
    if (body) expect(operation.requestBody?.content['application/json']?.schema.$ref).toBe(ref(body));
    else expect(operation.requestBody).toBeUndefined();

    const headers = (operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    expect(headers).toContain('Idempotency-Key');
    if (path.includes('{id}')) expect(headers).toContain('If-Match');
    const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
    expect(pathParams).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));

    const success = operation.responses[created ? '201' : '200']!;
    expect(success.content?.['application/json']?.schema.$ref).toBe(ref('CommandAccepted'));
    if (created) expect(success.headers).toHaveProperty('Location');

    // A registration names no existing resource, so it cannot be 404; every other command can.
    const problems = [
      '400',
      ...(path === '/api/customers' ? [] : ['404']),
      '409',
      '413',
      '415',
      '422',
      '502',
      '504',
      ...(path.includes('{id}') ? ['412'] : []),
    ];
    for (const status of problems) {
      expect(operation.responses[status]?.content?.['application/problem+json']?.schema.$ref).toBe(
        ref('ProblemDetails'),
      );
    }
  });

  it.each(READS)(
    'GET %s: answer schema, freshness, consistency, conditional',
    (path, schema, conditional) => {
      const operation = document.paths[path]!['get']!;
      const ok = operation.responses['200']!;
      expect(ok.content?.['application/json']?.schema.$ref).toBe(ref(schema));
      expect(ok.headers).toHaveProperty('X-Data-As-Of');
      expect(ok.headers).toHaveProperty('X-Consistency');
      const headers = (operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
      expect(headers).toEqual(expect.arrayContaining(['X-Consistency-Token', 'Prefer']));
      if (conditional) {
        expect(headers).toContain('If-None-Match');
        expect(ok.headers).toHaveProperty('ETag');
        expect(operation.responses['304']).toBeDefined();
      }
      expect(operation.responses['400']?.content?.['application/problem+json']?.schema.$ref).toBe(
        ref('ProblemDetails'),
      );
    },
  );

  it('documents the list filters and the page shape', () => {
    const query = (document.paths['/api/orders']!['get']!.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    expect(query.sort()).toEqual(['cursor', 'customerId', 'from', 'limit', 'status', 'to']);
    expect(document.components.schemas['OrderPage']).toMatchObject({
      properties: { items: { type: 'array' }, nextCursor: { nullable: true } },
    });
  });

  it("documents a command's status: its stages, its examples, its problems", () => {
    const operation = document.paths['/api/commands/{idempotencyKey}']!['get']! as Operation & {
      responses: Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }>;
      'x-problem-codes'?: string[];
    };
    expect(operation.operationId).toBe('getCommandStatus');
    expect(operation.responses['200']?.content?.['application/json']?.schema.$ref).toBe(ref('CommandStatus'));
    expect(
      Object.keys(operation.responses['200']?.content?.['application/json']?.examples ?? {}).sort(),
    ).toEqual(['committed', 'projected', 'published', 'rejected']);
    expect(operation['x-problem-codes']).toEqual(
      expect.arrayContaining(['command.not-found', 'request.invalid']),
    );
  });

  it('has a resolvable target for every $ref', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.length).toBeGreaterThan(20);
    for (const name of refs) expect(document.components.schemas).toHaveProperty(name);
  });
});

describe('GET /api/docs', () => {
  it('serves the Swagger UI page', async () => {
    const answer = await gateway.fetch(`/api/docs`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await answer.text();
    expect(html).toMatch(/swagger-ui/i);
    // The UI's own assets are served too, so the page works without the internet.
    const script = /src="\.?\/?([^"]*swagger-ui-bundle\.js)"/.exec(html);
    expect(script).not.toBeNull();
    const asset = await fetch(new URL(script![1]!, `${gateway.url}/api/docs/`));
    expect(asset.status).toBe(200);
  });
});
