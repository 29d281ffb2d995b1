import { createHash, createHmac, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Stack } from '@tandem/dev-stack';
import { waitFor } from '@tandem/platform/testing';
import { deadLetterCount, expectProblem, rawRequest, writeSideRows } from './problem-support';
import { call, startE2eStack, type E2eStack, type JsonResponse } from './support';

/**
 * Must-show 2 of issue 9: input a careless or hostile client sends, through the gateway of the full stack. Each row
 * is a 4xx problem body with a stable code (naming the field where there is one), writes nothing, and sends
 * nothing to a dead letter; before this, several of them answered 500 or a bare status line.
 *
 * @broker-independent: what it checks is HTTP's answer and the databases; npm test runs it on Apache Kafka only.
 */
const CURSOR_SECRET = 'bad-input-e2e-cursor-secret';

let e2e: E2eStack;
let stack: Stack;
let api: string;
let customerId = '';
let draft = '';

function command(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return call(method, `${api}${path}`, {
    ...(body === undefined ? {} : { body }),
    headers: { 'idempotency-key': randomUUID(), ...headers },
  });
}

function register(fields: Record<string, unknown>) {
  return command('POST', '/customers', {
    name: 'Ada',
    email: `ada+${randomUUID().slice(0, 8)}@example.com`,
    currency: 'EUR',
    creditLimit: 1000,
    ...fields,
  });
}

function addLine(fields: Record<string, unknown>) {
  return command('POST', `/orders/${draft}/lines`, { sku: 'A-1', quantity: 1, unitPrice: 1, ...fields });
}

function raw(path: string, body: string, headers: Record<string, string> = {}) {
  return call('POST', `${api}${path}`, {
    rawBody: body,
    headers: { 'idempotency-key': randomUUID(), ...headers },
  });
}

function nestedBody(levels: number): string {
  return `{"payload":${'['.repeat(levels)}${']'.repeat(levels)}}`;
}

/** A cursor with a valid signature (the test knows the secret) whose fields are not what the API issues. */
function signedCursor(fields: Record<string, unknown>): string {
  const filter = createHash('sha256')
    .update(JSON.stringify([null, null, null, null]))
    .digest('base64url')
    .slice(0, 16);
  const body = Buffer.from(JSON.stringify({ f: filter, ...fields })).toString('base64url');
  return `${body}.${createHmac('sha256', CURSOR_SECRET).update(body).digest('base64url')}`;
}

interface Row {
  case: string;
  send: () => Promise<JsonResponse>;
  status: number;
  code: string;
  /** The field the problem's `errors` must name. */
  field?: string;
  /** Part of that field's message. */
  message?: string;
  /** Sent to a service behind the gateway, whose own paths are then the right ones to show. */
  internal?: true;
}

const ROWS: Row[] = [
  // Strings PostgreSQL cannot store: refused at the edge, naming the field, in every body field.
  { case: 'NUL in a customer name', send: () => register({ name: 'Ada\u0000' }), ...field('name') },
  { case: 'lone high surrogate in a name', send: () => register({ name: 'Ada \ud800' }), ...field('name') },
  {
    case: 'lone low surrogate in an email',
    send: () => register({ email: '\udc00a@b.io' }),
    ...field('email'),
  },
  { case: 'NUL in a SKU', send: () => addLine({ sku: 'A\u0000' }), ...field('sku') },
  { case: 'lone surrogate in a SKU', send: () => addLine({ sku: '\udbff' }), ...field('sku') },
  {
    case: 'NUL in a cancel reason',
    send: () => command('POST', `/orders/${draft}/cancel`, { reason: 'oops\u0000' }),
    ...field('reason'),
  },
  {
    case: 'lone surrogate in a cancel reason',
    send: () => command('POST', `/orders/${draft}/cancel`, { reason: 'oops \ud83d' }),
    ...field('reason'),
  },
  {
    case: 'NUL in a field name',
    send: () => command('POST', '/orders', { customerId: randomUUID(), 'x\u0000': 1 }),
    ...field('x\u0000'),
  },
  {
    case: 'the same Idempotency-Key retried after a NUL refusal is refused again, not a 500',
    send: async () => {
      const headers = { 'idempotency-key': randomUUID() };
      await command('POST', `/orders/${draft}/cancel`, { reason: '\u0000' }, headers);
      return command('POST', `/orders/${draft}/cancel`, { reason: '\u0000' }, headers);
    },
    ...field('reason'),
  },
  {
    case: 'NUL in a SKU in the path',
    send: () => command('DELETE', `/orders/${draft}/lines/A%00B`),
    ...field('sku'),
  },
  {
    case: 'NUL in a query parameter',
    send: () => call('GET', `${api}/orders?cursor=a%00b`),
    ...field('cursor'),
  },
  {
    case: 'a path that is not percent-encoded UTF-8',
    send: () => call('GET', `${api}/orders/%ff`),
    status: 400,
    code: 'request.malformed-http',
  },
  // Numbers JSON parses to Infinity: out of range, not "received null".
  {
    case: 'creditLimit 1e309',
    send: () => raw('/customers', '{"name":"A","email":"a@b.io","currency":"EUR","creditLimit":1e309}'),
    ...field('creditLimit', 'out of range'),
  },
  {
    case: 'creditLimit -1e309 on a change',
    send: () =>
      call('PUT', `${api}/customers/${customerId}/credit-limit`, { rawBody: '{"creditLimit":-1e309}' }),
    ...field('creditLimit', 'out of range'),
  },
  {
    case: 'unitPrice 1e400',
    send: () => raw(`/orders/${draft}/lines`, '{"sku":"A-9","quantity":1,"unitPrice":1e400}'),
    ...field('unitPrice', 'out of range'),
  },
  // Deep JSON: refused before anything recursive walks it, on every service's parser.
  {
    case: 'a command body nested 5,000 levels',
    send: () => raw('/orders', nestedBody(5_000)),
    status: 400,
    code: 'request.json-too-deep',
  },
  {
    case: 'a command body nested 100,000 levels',
    send: () => raw(`/orders/${draft}/lines`, nestedBody(100_000)),
    status: 400,
    code: 'request.json-too-deep',
  },
  {
    case: 'an admin replay body nested 5,000 levels, through the gateway',
    send: () => raw('/admin/projections/order-summary/dead-letters/1/replay', nestedBody(5_000)),
    status: 400,
    code: 'request.json-too-deep',
  },
  {
    case: 'an admin replay body nested 5,000 levels, sent to the projection service itself',
    send: () =>
      call(
        'POST',
        `${stack.urls['projection-service']}/admin/projections/order-summary/dead-letters/1/replay`,
        {
          rawBody: nestedBody(5_000),
        },
      ),
    status: 400,
    code: 'request.json-too-deep',
    internal: true,
  },
  // Cursors: a valid signature does not make the decoded fields valid.
  {
    case: 'a signed cursor whose order id is not a UUID',
    send: () => call('GET', `${api}/orders?cursor=${signedCursor({ t: new Date().toISOString(), i: 'x' })}`),
    ...field('cursor'),
  },
  {
    case: 'a signed cursor whose time is not a time',
    send: () => call('GET', `${api}/orders?cursor=${signedCursor({ t: 'yesterday', i: randomUUID() })}`),
    ...field('cursor'),
  },
  {
    case: 'a signed cursor with fields missing',
    send: () => call('GET', `${api}/orders?cursor=${signedCursor({})}`),
    ...field('cursor'),
  },
  // What Node's HTTP parser refuses before Express: problem bodies, not bare status lines.
  {
    case: 'headers over 16 KB',
    send: () =>
      rawRequest(api, `GET /api/orders HTTP/1.1\r\nHost: x\r\nCookie: ${'c'.repeat(20_000)}\r\n\r\n`),
    status: 431,
    code: 'request.headers-too-large',
  },
  {
    case: 'both Content-Length and Transfer-Encoding (request smuggling)',
    send: () =>
      rawRequest(
        api,
        'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 44\r\n' +
          `Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nPOST /api/orders HTTP/1.1\r\nHost: x\r\n\r\n`,
      ),
    status: 400,
    code: 'request.malformed-http',
  },
  {
    case: 'a chunk size that is not hexadecimal',
    send: () =>
      rawRequest(
        api,
        'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Transfer-Encoding: chunked\r\n\r\nxyz\r\n{}\r\n0\r\n\r\n',
      ),
    status: 400,
    code: 'request.malformed-http',
  },
  // Compressed bodies that do not decode.
  {
    case: 'a gzip body that is not gzip',
    send: () => raw('/orders', 'not gzip at all', { 'content-encoding': 'gzip' }),
    status: 400,
    code: 'request.malformed-encoding',
  },
  {
    case: 'a gzip body cut short',
    send: () =>
      raw(
        '/orders',
        gzipSync(JSON.stringify({ customerId: randomUUID() }))
          .subarray(0, 12)
          .toString('latin1'),
        {
          'content-encoding': 'gzip',
        },
      ),
    status: 400,
    code: 'request.malformed-encoding',
  },
  // One date parser on every route: a day that does not exist is a 400 everywhere.
  {
    case: 'orders from 2026-02-30',
    send: () => call('GET', `${api}/orders?from=2026-02-30`),
    ...field('from'),
  },
  {
    case: 'orders to 2026-02-29 (not a leap year)',
    send: () => call('GET', `${api}/orders?to=2026-02-29`),
    ...field('to'),
  },
  {
    case: 'orders from 2026-02-30T00:00:00Z',
    send: () => call('GET', `${api}/orders?from=2026-02-30T00:00:00Z`),
    ...field('from'),
  },
  {
    case: 'daily sales from 2026-02-30',
    send: () => call('GET', `${api}/reports/daily-sales?from=2026-02-30&to=2026-03-03`),
    ...field('from'),
  },
  // SKUs: blank is refused, in the body and in the path.
  { case: 'a whitespace-only SKU', send: () => addLine({ sku: '   ' }), ...field('sku', 'blank') },
  { case: 'a SKU of tabs and newlines', send: () => addLine({ sku: '\t\n' }), ...field('sku', 'blank') },
  {
    case: 'a blank SKU in the path',
    send: () => command('DELETE', `/orders/${draft}/lines/%20%20`),
    ...field('sku', 'blank'),
  },
  // No internal paths in errors.
  {
    case: 'an unknown admin route',
    send: async () =>
      call('GET', `${api}/admin/projections/order-summary/no-such-thing`, {
        headers: await e2e.authAs('admin1'),
      }),
    status: 404,
    code: 'route.not-found',
  },
];

function field(name: string, message?: string) {
  return { status: 400, code: 'request.invalid', field: name, ...(message ? { message } : {}) };
}

beforeAll(async () => {
  e2e = await startE2eStack('bad_input', { CURSOR_SECRET });
  ({ stack, api } = e2e);
  const customer = await register({});
  customerId = (customer.body as { id: string }).id;
  const created = await command('POST', '/orders', { customerId });
  draft = (created.body as { id: string }).id;
  expect([customer.status, created.status]).toEqual([201, 201]);
}, 150_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

describe('bad input through the gateway', () => {
  it.each(ROWS.map((row) => [row.case, row] as const))(
    '%s',
    async (_name, row) => {
      const before = await writeSideRows(stack);
      const response = await row.send();
      const body = expectProblem(response, row.status, row.code);
      if (row.field !== undefined) {
        expect(body['errors']).toEqual(
          expect.arrayContaining([
            {
              field: row.field,
              message: row.message ? expect.stringContaining(row.message) : expect.any(String),
            },
          ]),
        );
      }
      // Through the gateway: the public path, never a service's internal one.
      if (!row.internal) {
        if (typeof body['instance'] === 'string') expect(body['instance']).toMatch(/^\/api\//);
        expect(JSON.stringify(body)).not.toMatch(/(?<!\/api)\/admin\//);
      }
      expect(await writeSideRows(stack)).toEqual(before);
    },
    30_000,
  );

  it('trims a SKU with surrounding whitespace and stores it trimmed', async () => {
    const added = await addLine({ sku: '  B-2\t' });
    expect(added.status).toBe(200);
    const order = await waitFor(
      async () => {
        const read = await call('GET', `${api}/orders/${draft}`);
        const lines = (read.body as { lines?: Array<{ sku: string }> }).lines ?? [];
        return lines.length > 0 ? lines : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, what: 'the added line in the order summary' },
    );
    expect(order.map((line) => line.sku)).toEqual(['B-2']);
  });

  it('sent nothing to a dead letter', async () => {
    expect(await deadLetterCount(stack)).toBe(0);
  });
});
