import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { HTTP_PROBLEM_CODES } from '@tandem/platform/http';
import { DOMAIN_ERROR_CODES } from '@tandem/write/domain';
import { call, startE2eStack, type E2eStack } from './support';

/**
 * Must-show 2 of the identity issue: property-based requests over every route of the OpenAPI document, with valid
 * tokens of every role, random path parameters, query strings, bodies and headers: never a 5xx, and every refusal
 * is problem+json with a stable, catalogued `code`. A failure prints the shrunk request that broke it.
 */
let e2e: E2eStack;
let operations: Array<{ method: string; path: string; query: string[] }>;
let known: { customer: string; order: string };

// The operators' routes answer these besides the catalogue's (docs/api.md lists them).
const ADMIN_CODES = [
  'projection.not-found',
  'dead-letter.not-found',
  'dead-letter.still-poison',
  'projection.rebuild-in-progress',
];
const CATALOGUE = new Set([
  ...Object.keys(HTTP_PROBLEM_CODES),
  ...Object.keys(DOMAIN_ERROR_CODES),
  ...ADMIN_CODES,
]);
const USERS = ['customer1', 'customer2', 'staff1', 'admin1'] as const;
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);

beforeAll(async () => {
  e2e = await startE2eStack('fuzz');
  const document = (await call('GET', `${e2e.api}/openapi.json`)).body as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  // The live streams (Server-Sent Events) stay open by design, so a valid request never ends: they have their own
  // tests (live-orders.e2e-spec.ts, live-order-streams.int-spec.ts, live-relay.int-spec.ts).
  operations = Object.entries(document.paths)
    .filter(([path]) => !path.endsWith('/live'))
    .flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
    );
  // Real ids too, so that some requests reach existing records (as their owner or not).
  const headers = { ...(await e2e.authAs('customer1')), 'idempotency-key': randomUUID() };
  const body = { name: 'Fuzz', email: 'customer1@example.com', currency: 'EUR', creditLimit: 10_000 };
  const customer = (await call('POST', `${e2e.api}/customers`, { headers, body })).body as { id: string };
  const order = (
    await call('POST', `${e2e.api}/orders`, {
      headers: { ...headers, 'idempotency-key': randomUUID() },
      body: { customerId: customer.id },
    })
  ).body as { id: string };
  known = { customer: customer.id, order: order.id };
}, 120_000);

afterAll(() => e2e?.stop());

const visibleAscii = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

const pathValue = fc.oneof(
  fc.uuid(),
  fc.constantFrom(
    'known-customer',
    'known-order',
    '..',
    '%2e%2e',
    '%00',
    'a%2Fb',
    'x'.repeat(300),
    '%E0%A4%A',
  ),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    {
      customerId: fc.oneof(fc.uuid(), fc.constant('known-customer'), fc.jsonValue({ maxDepth: 1 })),
      name: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
      email: fc.oneof(fc.emailAddress(), fc.string()),
      currency: fc.oneof(fc.constantFrom('EUR', 'JPY', 'KWD', 'XXX', 'eur'), fc.string()),
      creditLimit: fc.oneof(fc.integer(), fc.double(), fc.bigInt().map(String), fc.constant(2 ** 53)),
      sku: fc.string({ maxLength: 80 }),
      quantity: fc.oneof(fc.integer(), fc.double()),
      unitPrice: fc.oneof(fc.integer(), fc.double(), fc.constant(-1)),
      reason: fc.string({ maxLength: 600 }),
      payload: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  ),
);

const request = fc.record({
  user: fc.constantFrom(...USERS),
  operation: fc.nat(),
  params: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
  query: fc.dictionary(
    fc.constantFrom('customerId', 'status', 'from', 'to', 'cursor', 'limit', 'x'),
    visibleAscii(30),
  ),
  body: fc.option(
    fc.oneof(
      jsonBody.map((value) => JSON.stringify(value)),
      visibleAscii(40),
    ),
    { nil: undefined },
  ),
  headers: fc.record(
    {
      'idempotency-key': visibleAscii(300),
      'if-match': visibleAscii(20),
      'if-none-match': visibleAscii(20),
      'x-consistency-token': visibleAscii(120),
      prefer: fc.oneof(
        visibleAscii(20),
        fc.nat().map((n) => `wait=${n}`),
      ),
      'content-type': fc.constantFrom(
        'application/json',
        'text/plain',
        'application/json; charset=latin1',
        '',
      ),
    },
    { requiredKeys: [] },
  ),
});

describe('every route under random input', () => {
  it('never answers 5xx, and every refusal is problem+json with a catalogued code', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const operation = operations[input.operation % operations.length];
        if (operation === undefined) throw new Error('the document lists no operation');
        let index = 0;
        const path = operation.path.replace(/\{[^}]+\}/g, () => {
          const value = input.params[index++] ?? '';
          return value === 'known-customer' ? known.customer : value === 'known-order' ? known.order : value;
        });
        const search = new URLSearchParams(input.query).toString();
        const headers: Record<string, string> = {
          ...(await e2e.authAs(input.user)),
          ...Object.fromEntries(Object.entries(input.headers).filter(([, value]) => value !== '')),
        };
        const rawBody = input.body?.replace(/"known-customer"/g, JSON.stringify(known.customer));
        const answer = await call(
          operation.method,
          `${e2e.stack.gatewayUrl}${path}${search ? `?${search}` : ''}`,
          {
            headers,
            ...(rawBody === undefined || operation.method === 'GET' ? {} : { rawBody }),
          },
        );
        const seen = `${operation.method} ${path} as ${input.user} → ${answer.status} ${JSON.stringify(answer.body)}`;
        if (answer.status >= 500) throw new Error(`a 5xx: ${seen}`);
        if (answer.status >= 400) {
          if (!answer.headers.get('content-type')?.includes('application/problem+json')) {
            throw new Error(`not problem+json: ${seen}`);
          }
          const code = (answer.body as { code?: unknown }).code;
          if (typeof code !== 'string' || !CATALOGUE.has(code))
            throw new Error(`an uncatalogued code: ${seen}`);
        }
      }),
      { numRuns: RUNS, verbose: 1 },
    );
  }, 600_000);
});
