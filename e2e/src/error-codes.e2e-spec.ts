import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConsistencyTokens, DEVELOPMENT_CONSISTENCY_TOKEN_SECRET } from '@tandem/platform/auth';
import type { Stack } from '@tandem/dev-stack';
import { HTTP_PROBLEM_CODES, type HttpProblemCode } from '@tandem/platform/http';
import { DOMAIN_ERROR_CODES, type DomainErrorCode, type DomainErrorKind } from '@tandem/write/domain';
import { deadLetterCount, expectProblem, rawRequest, writeSideRows } from './problem-support';
import { call, ROOT, startE2eStack, type E2eStack, type JsonResponse } from './support';

/**
 * Must-show 1 of issue 9: every error code of the catalogue (the domain's rule codes and the HTTP layers' own),
 * answered through the gateway of the full stack (four processes, the dev broker, PostgreSQL) with its documented
 * status, a problem body whose `status` is that status, its code and extensions, and nothing written. A code added
 * to either catalogue without a case here fails to compile, and fails the first test.
 *
 * @broker-independent: what it checks is HTTP's answer and the databases; npm test runs it on Apache Kafka only.
 */
type Code = DomainErrorCode | HttpProblemCode;

type Case =
  /** A request that gets this code (after a setup that may write), and the extension members its body carries. */
  | { setup?: () => Promise<void>; send: () => Promise<JsonResponse>; extensions?: Record<string, unknown> }
  /** A domain rule that the request schema guards first: the same bad value is a 400 naming the field. */
  | { shadowedBy: 'request.invalid'; field: string; send: () => Promise<JsonResponse> }
  /** A code no request can produce on demand: why, and the test that proves its answer instead (naming it). */
  | { unreachable: string; provenBy?: { file: string; mentions: string } };

const STATUS_OF_KIND: Record<DomainErrorKind, number> = { 'not-found': 404, conflict: 409, invalid: 400 };
const TIMEOUT_MS = 4_000;
const CREDIT_LIMIT = 10_000;
const ZERO_UUID = '00000000-0000-4000-8000-000000000000';
const REUSED_KEY = randomUUID();
const EUR_MAX = 10 ** 14;

let e2e: E2eStack;
let stack: Stack;
let api: string;
const fixture = {
  customerId: '',
  email: `matrix+${randomUUID().slice(0, 8)}@example.com`,
  draft: '',
  empty: '',
  placed: '',
  shipped: '',
  cancelled: '',
  full: '',
  overLimit: '',
  nearMax: '',
};

function command(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return call(method, `${api}${path}`, {
    ...(body === undefined ? {} : { body }),
    headers: { 'idempotency-key': randomUUID(), ...headers },
  });
}

async function accepted(response: Promise<JsonResponse>): Promise<string> {
  const answer = await response;
  if (answer.status >= 300) throw new Error(`setup failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { id: string }).id;
}

async function order(lines: number): Promise<string> {
  const id = await accepted(command('POST', '/orders', { customerId: fixture.customerId }));
  for (let i = 0; i < lines; i++) {
    await accepted(command('POST', `/orders/${id}/lines`, { sku: `SKU-${i}`, quantity: 1, unitPrice: 1 }));
  }
  return id;
}

const CASES: Record<Code, Case> = {
  'order.not-found': {
    send: () => command('POST', `/orders/${ZERO_UUID}/place`),
    extensions: { orderId: ZERO_UUID },
  },
  'order.already-exists': {
    unreachable: 'order ids are chosen by the server, never by a request',
  },
  'order.not-draft': {
    send: () =>
      command('POST', `/orders/${fixture.placed}/lines`, { sku: 'LATE', quantity: 1, unitPrice: 1 }),
    extensions: { orderId: () => fixture.placed, orderStatus: 'placed' },
  },
  'order.no-lines': {
    send: () => command('POST', `/orders/${fixture.empty}/place`),
    extensions: { orderId: () => fixture.empty },
  },
  'order.too-many-lines': {
    send: () =>
      command('POST', `/orders/${fixture.full}/lines`, { sku: 'ONE-MORE', quantity: 1, unitPrice: 1 }),
    extensions: { orderId: () => fixture.full, maxLines: 100 },
  },
  'order.duplicate-sku': {
    send: () =>
      command('POST', `/orders/${fixture.draft}/lines`, { sku: 'SKU-0', quantity: 1, unitPrice: 1 }),
    extensions: { orderId: () => fixture.draft, sku: 'SKU-0' },
  },
  'order.line-not-found': {
    send: () => command('DELETE', `/orders/${fixture.draft}/lines/NO-SUCH-SKU`),
    extensions: { orderId: () => fixture.draft, sku: 'NO-SUCH-SKU' },
  },
  'order.credit-limit-exceeded': {
    setup: async () => {
      fixture.overLimit = await order(0);
      await accepted(
        command('POST', `/orders/${fixture.overLimit}/lines`, {
          sku: 'BIG',
          quantity: 1,
          unitPrice: CREDIT_LIMIT + 1,
        }),
      );
    },
    send: () => command('POST', `/orders/${fixture.overLimit}/place`),
    extensions: { total: CREDIT_LIMIT + 1, creditLimit: CREDIT_LIMIT },
  },
  'order.not-placed': {
    send: () => command('POST', `/orders/${fixture.draft}/ship`),
    extensions: { orderId: () => fixture.draft, orderStatus: 'draft' },
  },
  'order.already-shipped': {
    send: () => command('POST', `/orders/${fixture.shipped}/cancel`, { reason: 'too late' }),
    extensions: { orderId: () => fixture.shipped },
  },
  'order.already-cancelled': {
    send: () => command('POST', `/orders/${fixture.cancelled}/cancel`, { reason: 'twice' }),
    extensions: { orderId: () => fixture.cancelled },
  },
  // The fixture customer pays in EUR: at most 10^14 minor units per line and per order (docs/api.md).
  'order.amount-too-large': {
    send: () =>
      command('POST', `/orders/${fixture.draft}/lines`, {
        sku: 'HUGE',
        quantity: 2,
        unitPrice: EUR_MAX,
      }),
    extensions: { orderId: () => fixture.draft, of: 'line', currency: 'EUR', max: EUR_MAX },
  },
  'order.total-too-large': {
    setup: async () => {
      fixture.nearMax = await order(0);
      await accepted(
        command('POST', `/orders/${fixture.nearMax}/lines`, { sku: 'MAX', quantity: 1, unitPrice: EUR_MAX }),
      );
    },
    send: () =>
      command('POST', `/orders/${fixture.nearMax}/lines`, { sku: 'ONE-MORE', quantity: 1, unitPrice: 1 }),
    extensions: { orderId: () => fixture.nearMax, total: EUR_MAX + 1, currency: 'EUR', max: EUR_MAX },
  },
  'order.invalid-quantity': {
    shadowedBy: 'request.invalid',
    field: 'quantity',
    send: () => command('POST', `/orders/${fixture.draft}/lines`, { sku: 'Q', quantity: 0, unitPrice: 1 }),
  },
  'order.invalid-unit-price': {
    shadowedBy: 'request.invalid',
    field: 'unitPrice',
    send: () => command('POST', `/orders/${fixture.draft}/lines`, { sku: 'P', quantity: 1, unitPrice: -1 }),
  },
  'order.invalid-sku': {
    shadowedBy: 'request.invalid',
    field: 'sku',
    send: () =>
      command('POST', `/orders/${fixture.draft}/lines`, { sku: 'S'.repeat(65), quantity: 1, unitPrice: 1 }),
  },
  'order.cancel-reason-required': {
    shadowedBy: 'request.invalid',
    field: 'reason',
    send: () => command('POST', `/orders/${fixture.draft}/cancel`, { reason: '   ' }),
  },
  'order.cancel-reason-too-long': {
    shadowedBy: 'request.invalid',
    field: 'reason',
    send: () => command('POST', `/orders/${fixture.draft}/cancel`, { reason: 'r'.repeat(501) }),
  },
  'customer.not-found': {
    send: () => command('POST', '/orders', { customerId: ZERO_UUID }),
    extensions: { customerId: ZERO_UUID },
  },
  'customer.already-exists': {
    unreachable: 'customer ids are chosen by the server, never by a request',
  },
  'customer.email-taken': {
    send: () =>
      command('POST', '/customers', { name: 'Twin', email: fixture.email, currency: 'EUR', creditLimit: 1 }),
    extensions: { email: fixture.email },
  },
  'customer.invalid-email': {
    shadowedBy: 'request.invalid',
    field: 'email',
    send: () => command('POST', '/customers', { name: 'A', email: 'nope', currency: 'EUR', creditLimit: 1 }),
  },
  'customer.invalid-name': {
    shadowedBy: 'request.invalid',
    field: 'name',
    send: () =>
      command('POST', '/customers', { name: ' ', email: 'a@b.io', currency: 'EUR', creditLimit: 1 }),
  },
  'customer.unknown-currency': {
    shadowedBy: 'request.invalid',
    field: 'currency',
    send: () =>
      command('POST', '/customers', { name: 'A', email: 'a@b.io', currency: 'XYZ', creditLimit: 1 }),
  },
  'customer.invalid-credit-limit': {
    shadowedBy: 'request.invalid',
    field: 'creditLimit',
    send: () => command('PUT', `/customers/${fixture.customerId}/credit-limit`, { creditLimit: -1 }),
  },

  'request.invalid': {
    send: () => command('POST', '/customers', { name: '', email: 'a@b.io', currency: 'EUR', creditLimit: 1 }),
    extensions: { errors: [{ field: 'name', message: expect.any(String) }] },
  },
  'request.malformed-json': {
    send: () => call('POST', `${api}/orders`, { rawBody: '{"customerId":', headers: key() }),
  },
  'request.json-too-deep': {
    send: () => call('POST', `${api}/orders`, { rawBody: nested(5_000), headers: key() }),
  },
  'request.malformed-encoding': {
    send: () =>
      call('POST', `${api}/orders`, {
        rawBody: 'this is not gzip',
        headers: { ...key(), 'content-encoding': 'gzip' },
      }),
  },
  'request.malformed-http': {
    send: () =>
      rawRequest(
        api,
        'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      ),
  },
  'request.timeout': {
    unreachable: 'Node answers it only after a request has dribbled in for headersTimeout (10 s)',
    provenBy: {
      file: 'libs/platform/http/src/create-http-app.int-spec.ts',
      mentions: '"code":"request.timeout"',
    },
  },
  'request.too-large': {
    send: () =>
      call('POST', `${api}/orders`, {
        body: { customerId: fixture.customerId, padding: 'x'.repeat(1024 * 1024) },
        headers: key(),
      }),
  },
  'request.unsupported-media-type': {
    send: () =>
      call('POST', `${api}/orders`, {
        rawBody: 'customerId=1',
        headers: { ...key(), 'content-type': 'text/plain' },
      }),
  },
  'request.unsupported-encoding': {
    send: () =>
      call('POST', `${api}/orders`, {
        rawBody: JSON.stringify({ customerId: fixture.customerId }),
        headers: { ...key(), 'content-encoding': 'snappy' },
      }),
  },
  'request.headers-too-large': {
    send: () =>
      rawRequest(api, `GET /api/orders HTTP/1.1\r\nHost: x\r\nX-Padding: ${'x'.repeat(20_000)}\r\n\r\n`),
  },
  'route.not-found': {
    send: () => call('GET', `${api}/no-such-route`),
  },
  'command.not-found': {
    send: () => call('GET', `${api}/commands/no-such-key`),
    extensions: { idempotencyKey: 'no-such-key' },
  },
  'precondition.version-mismatch': {
    send: () => command('POST', `/orders/${fixture.draft}/place`, undefined, { 'if-match': '"99"' }),
    extensions: { expectedVersion: 99, currentVersion: expect.any(Number) },
  },
  'concurrency.conflict': {
    unreachable: 'only when a command loses the race for its aggregate on every retry',
    provenBy: {
      file: 'libs/write/persistence/src/transactions/postgres-command-transactions.int-spec.ts',
      mentions: 'toBeInstanceOf(WriteConflict)',
    },
  },
  'rate-limit.exceeded': {
    unreachable:
      'the e2e stack raises the limits out of its tests’ reach: a flood belongs in a test of its own',
    provenBy: {
      file: 'apps/gateway/src/edge/rate-limits/rate-limits.int-spec.ts',
      mentions: "code: 'rate-limit.exceeded'",
    },
  },
  'live.too-many-streams': {
    unreachable: 'only with as many live streams open as a cap allows (10 per caller by default)',
    provenBy: {
      file: 'apps/query-service/src/live/live-order-streams.int-spec.ts',
      mentions: "code: 'live.too-many-streams'",
    },
  },
  'idempotency.key-reused': {
    setup: async () => {
      await accepted(
        command('POST', '/orders', { customerId: fixture.customerId }, { 'idempotency-key': REUSED_KEY }),
      );
    },
    send: () => command('POST', '/orders', { customerId: ZERO_UUID }, { 'idempotency-key': REUSED_KEY }),
    extensions: { idempotencyKey: REUSED_KEY },
  },
  'auth.token-missing': {
    send: () => call('GET', `${api}/orders`, { headers: { authorization: '' } }),
  },
  'auth.token-invalid': {
    send: () => call('GET', `${api}/orders`, { headers: { authorization: 'Bearer not.a.token' } }),
  },
  'auth.forbidden': {
    send: async () =>
      call('GET', `${api}/reports/daily-sales?from=2026-11-01&to=2026-11-02`, {
        headers: await e2e.authAs('customer2'),
      }),
  },
  'auth.keys-unavailable': {
    unreachable: "only while the issuer's key set cannot be fetched for a token with a new key",
    provenBy: {
      file: 'libs/platform/auth/src/access-token-verifier.int-spec.ts',
      mentions: "code: 'auth.keys-unavailable'",
    },
  },
  'customer.already-registered': {
    setup: async () => {
      await accepted(selfRegistration('customer1@example.com'));
    },
    send: () => selfRegistration('customer1@example.com'),
    extensions: { customerId: expect.any(String) },
  },
  'customer.email-not-verified': {
    // customer2 may register itself only with its own verified address: no other address can be probed.
    send: async () =>
      call('POST', `${api}/customers`, {
        headers: { ...(await e2e.authAs('customer2')), ...key() },
        body: { name: 'Two', email: fixture.email, currency: 'EUR', creditLimit: 1 },
      }),
  },
  internal: {
    unreachable: 'a 500 is a bug: no request is meant to produce one',
    provenBy: { file: 'libs/platform/http/src/client-errors.int-spec.ts', mentions: "code: 'internal'" },
  },
  'upstream.timeout': {
    // The read waits up to 10 s for a version that never comes; the gateway gives up at UPSTREAM_TIMEOUT_MS.
    send: () =>
      call('GET', `${api}/orders/${ZERO_UUID}`, {
        headers: {
          // A token as the command service signs it for staff1 (the stack runs on the development secret).
          'x-consistency-token': new ConsistencyTokens(DEVELOPMENT_CONSISTENCY_TOKEN_SECRET).issue(
            { kind: 'order', streamId: ZERO_UUID, version: 9 },
            'staff1',
          ),
          prefer: 'wait=10',
        },
      }),
    extensions: { service: 'query-service' },
  },
  'upstream.unavailable': {
    setup: () => stack.processes['projection-service'].stop(),
    send: async () => call('GET', `${api}/admin/projections`, { headers: await e2e.authAs('admin1') }),
    extensions: { service: 'projection-service' },
  },
};

async function selfRegistration(email: string): Promise<JsonResponse> {
  return call('POST', `${api}/customers`, {
    headers: { ...(await e2e.authAs('customer1')), ...key() },
    body: { name: 'One', email, currency: 'EUR', creditLimit: 1 },
  });
}

function key(): Record<string, string> {
  return { 'idempotency-key': randomUUID() };
}

function nested(levels: number): string {
  return `{"customerId":${'['.repeat(levels)}${']'.repeat(levels)}}`;
}

function documentedStatus(code: Code): number {
  return code in DOMAIN_ERROR_CODES
    ? STATUS_OF_KIND[DOMAIN_ERROR_CODES[code as DomainErrorCode].kind]
    : HTTP_PROBLEM_CODES[code as HttpProblemCode].status;
}

function describeCase(testCase: Case): string {
  if ('unreachable' in testCase) return ` (unreachable: ${testCase.unreachable})`;
  if ('shadowedBy' in testCase) return ` (the request schema refuses it first: ${testCase.shadowedBy})`;
  return '';
}

function resolved(extensions: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(extensions).map(([name, value]) => [name, typeof value === 'function' ? value() : value]),
  );
}

// upstream.unavailable stops a service, so it runs last.
const ORDERED = (Object.keys(CASES) as Code[]).sort((a, b) =>
  a === 'upstream.unavailable' ? 1 : b === 'upstream.unavailable' ? -1 : 0,
);

beforeAll(async () => {
  e2e = await startE2eStack('error_codes', { UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
  ({ stack, api } = e2e);
}, 150_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

describe('every error code through the gateway', () => {
  beforeAll(async () => {
    fixture.customerId = await accepted(
      command('POST', '/customers', {
        name: 'Matrix',
        email: fixture.email,
        currency: 'EUR',
        creditLimit: CREDIT_LIMIT,
      }),
    );
    fixture.empty = await order(0);
    fixture.draft = await order(1);
    fixture.placed = await order(1);
    await accepted(command('POST', `/orders/${fixture.placed}/place`));
    fixture.shipped = await order(1);
    await accepted(command('POST', `/orders/${fixture.shipped}/place`));
    await accepted(command('POST', `/orders/${fixture.shipped}/ship`));
    fixture.cancelled = await order(0);
    await accepted(command('POST', `/orders/${fixture.cancelled}/cancel`, { reason: 'changed my mind' }));
    fixture.full = await order(100);
  }, 120_000);

  it('has a case for every code of both catalogues, and none for a code outside them', () => {
    const catalogue = [...Object.keys(DOMAIN_ERROR_CODES), ...Object.keys(HTTP_PROBLEM_CODES)].sort();
    expect(Object.keys(CASES).sort()).toEqual(catalogue);
  });

  it.each(ORDERED.map((code) => [code, describeCase(CASES[code])]))(
    '%s%s',
    async (code) => {
      const testCase = CASES[code];
      if ('unreachable' in testCase) {
        // Stated, not skipped silently: the test that proves the answer must exist and name it.
        if (testCase.provenBy) {
          const proof = readFileSync(path.join(ROOT, testCase.provenBy.file), 'utf8');
          expect(proof).toContain(testCase.provenBy.mentions);
        }
        return;
      }
      if ('setup' in testCase && testCase.setup) await testCase.setup();
      const status = 'shadowedBy' in testCase ? 400 : documentedStatus(code);
      const expectedCode = 'shadowedBy' in testCase ? testCase.shadowedBy : code;
      const before = await writeSideRows(stack);
      const response = await testCase.send();
      const body = expectProblem(response, status, expectedCode);
      if ('shadowedBy' in testCase) {
        expect(body['errors']).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: testCase.field })]),
        );
      } else if (testCase.extensions) {
        expect(body).toMatchObject(resolved(testCase.extensions));
      }
      expect(await writeSideRows(stack)).toEqual(before);
    },
    30_000,
  );

  it('sent nothing to a dead letter', async () => {
    expect(await deadLetterCount(stack)).toBe(0);
  });
});
