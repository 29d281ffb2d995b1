import { randomUUID } from 'node:crypto';
import { call, startE2eStack, type E2eStack, type JsonResponse } from './support';

interface CommandAnswer {
  id: string;
  version: number;
  consistencyToken: string;
}

interface Problem {
  status: number;
  code: string;
  errors?: Array<{ field: string; message: string }>;
  [detail: string]: unknown;
}

interface SalesRow {
  day: string;
  currency: string;
  placedCount: number;
  placedTotal: string;
  shippedCount: number;
  shippedTotal: string;
}

/** KWD has three decimals: its maximum, 10^12 dinars = 10^15 fils, is the largest amount of any currency. */
const KWD_MAX = 10 ** 15;
const JPY_MAX = 10 ** 12;
/** Enough orders at the maximum for every sum to pass 2^53 (9,007,199,254,740,992) several times over. */
const ORDERS = 40;
const WORKERS = 8;

/**
 * Issue 9, point 2, through the gateway on the full stack: amounts past the per-currency bound are refused at the
 * edge or by the domain, naming the bound, and write nothing; a customer at the largest credit limit with many
 * orders at the largest line, placed and shipped, gets exact sums past 2^53 in the customer dashboard and the daily
 * sales report (decimal strings), no projection dead-letters anything, and a later placement still projects.
 */
describe('money at its bounds, end to end', () => {
  let e2e: E2eStack;
  let api: string;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_money');
    api = e2e.api;
  }, 150_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);

  const send = (method: string, path: string, body?: unknown): Promise<JsonResponse> =>
    call(method, `${api}${path}`, { body, headers: { 'idempotency-key': randomUUID() } });

  const command = async (path: string, body: unknown, expected = 200): Promise<CommandAnswer> => {
    const response = await send('POST', path, body);
    if (response.status !== expected) {
      throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body as CommandAnswer;
  };

  const register = (currency: string, creditLimit: number) =>
    send('POST', '/customers', {
      name: `Money ${currency}`,
      email: `money+${randomUUID().slice(0, 8)}@example.com`,
      currency,
      creditLimit,
    });

  const read = (path: string, token: string) =>
    call('GET', `${api}${path}`, { headers: { 'x-consistency-token': token, prefer: 'wait=10' } });

  it('refuses amounts past the bound of their currency, naming it, and writes nothing', async () => {
    const unsafe = await register('JPY', Number.MAX_SAFE_INTEGER);
    expect(unsafe.status).toBe(400);
    expect(unsafe.body).toMatchObject({ code: 'request.invalid', status: 400 });
    expect((unsafe.body as Problem).errors).toEqual([
      { field: 'creditLimit', message: expect.stringContaining(`at most ${KWD_MAX} minor units`) },
    ]);
    const tooHigh = await register('JPY', JPY_MAX + 1);
    expect(tooHigh.status).toBe(400);
    expect((tooHigh.body as Problem).errors).toEqual([
      { field: 'creditLimit', message: expect.stringContaining(`at most ${JPY_MAX} minor units for JPY`) },
    ]);

    const customer = await register('JPY', JPY_MAX);
    expect(customer.status).toBe(201);
    const { id: customerId } = customer.body as CommandAnswer;
    const order = await command('/orders', { customerId }, 201);

    const price = await send('POST', `/orders/${order.id}/lines`, {
      sku: 'P',
      quantity: 1,
      unitPrice: Number.MAX_SAFE_INTEGER,
    });
    expect(price.status).toBe(400);
    expect((price.body as Problem).errors).toEqual([
      { field: 'unitPrice', message: expect.stringContaining(`at most ${KWD_MAX} minor units`) },
    ]);

    const line = await send('POST', `/orders/${order.id}/lines`, {
      sku: 'L',
      quantity: 2,
      unitPrice: JPY_MAX,
    });
    expect(line.status).toBe(400);
    expect(line.body).toMatchObject({
      status: 400,
      code: 'order.amount-too-large',
      currency: 'JPY',
      max: JPY_MAX,
    });

    const first = await command(`/orders/${order.id}/lines`, {
      sku: 'A',
      quantity: 1,
      unitPrice: JPY_MAX - 1,
    });
    const total = await send('POST', `/orders/${order.id}/lines`, { sku: 'B', quantity: 1, unitPrice: 2 });
    expect(total.status).toBe(409);
    expect(total.body).toMatchObject({
      status: 409,
      code: 'order.total-too-large',
      total: JPY_MAX + 1,
      currency: 'JPY',
      max: JPY_MAX,
    });

    const limit = await send('PUT', `/customers/${customerId}/credit-limit`, { creditLimit: JPY_MAX + 1 });
    expect(limit.status).toBe(400);
    expect(limit.body).toMatchObject({
      code: 'customer.invalid-credit-limit',
      currency: 'JPY',
      max: JPY_MAX,
    });

    // Nothing of the refused commands was written: the order holds the one accepted line, the limit is unchanged.
    const summary = await read(`/orders/${order.id}`, first.consistencyToken);
    expect(summary.body).toMatchObject({
      version: first.version,
      lines: [{ sku: 'A', quantity: 1, unitPrice: JPY_MAX - 1 }],
      total: JPY_MAX - 1,
    });
    const dashboard = await read(`/customers/${customerId}`, first.consistencyToken);
    expect(dashboard.body).toMatchObject({ creditLimit: JPY_MAX, version: 1 });
  });

  it('keeps every sum exact past 2^53 for a customer at the largest limit and orders at the largest line', async () => {
    const customer = await register('KWD', KWD_MAX);
    expect(customer.status).toBe(201);
    const { id: customerId } = customer.body as CommandAnswer;

    // Each order: one line of 1,000 × 10^12 fils (the maximum line, of two allowed factors), placed and shipped.
    let next = 0;
    let lastShipped: CommandAnswer | null = null;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < ORDERS) {
          next += 1;
          const order = await command('/orders', { customerId }, 201);
          await command(`/orders/${order.id}/lines`, { sku: 'GOLD', quantity: 1_000, unitPrice: 10 ** 12 });
          await command(`/orders/${order.id}/place`, {});
          lastShipped = await command(`/orders/${order.id}/ship`, {});
        }
      }),
    );
    expect(lastShipped).not.toBeNull();
    const exact = (orders: number): string => (BigInt(orders) * BigInt(KWD_MAX)).toString();
    expect(BigInt(exact(ORDERS))).toBeGreaterThan(2n ** 53n);

    // The dashboard, once the last shipment is in (each order's events are in order; the orders are not, so poll).
    const token = (lastShipped as CommandAnswer | null)?.consistencyToken ?? '';
    let dashboard: JsonResponse = await read(`/customers/${customerId}`, token);
    for (let tries = 0; tries < 100; tries++) {
      const counts = (dashboard.body as { orderCounts?: { shipped?: number } }).orderCounts;
      if (counts?.shipped === ORDERS) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
      dashboard = await read(`/customers/${customerId}`, token);
    }
    expect(dashboard.status).toBe(200);
    expect(dashboard.body).toMatchObject({
      currency: 'KWD',
      creditLimit: KWD_MAX,
      orderCounts: { shipped: ORDERS, placed: 0, draft: 0 },
      lifetimeValue: exact(ORDERS),
    });

    // The daily-sales report: the KWD rows (one, or two if the run crossed a UTC midnight) sum to the exact figures.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const kwdSales = async (): Promise<{ placed: bigint; shipped: bigint; placedCount: number }> => {
      const report = await read(`/reports/daily-sales?from=${day(-1)}&to=${day(1)}`, token);
      expect(report.status).toBe(200);
      const rows = (report.body as { items: SalesRow[] }).items.filter((r) => r.currency === 'KWD');
      for (const row of rows) {
        // Decimal strings, not JSON numbers that would round past 2^53.
        expect(typeof row.placedTotal).toBe('string');
        expect(typeof row.shippedTotal).toBe('string');
      }
      return {
        placed: rows.reduce((sum, r) => sum + BigInt(r.placedTotal), 0n),
        shipped: rows.reduce((sum, r) => sum + BigInt(r.shippedTotal), 0n),
        placedCount: rows.reduce((sum, r) => sum + r.placedCount, 0),
      };
    };
    const waitForSales = async (placedCount: number) => {
      for (let tries = 0; ; tries++) {
        const sales = await kwdSales();
        if (sales.placedCount >= placedCount || tries >= 100) return sales;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const sales = await waitForSales(ORDERS);
    expect(sales).toEqual({
      placed: BigInt(exact(ORDERS)),
      shipped: BigInt(exact(ORDERS)),
      placedCount: ORDERS,
    });

    // No projection dead-lettered anything, and a later placement still projects on top of these sums.
    const later = await command('/orders', { customerId }, 201);
    await command(`/orders/${later.id}/lines`, { sku: 'GOLD', quantity: 1, unitPrice: KWD_MAX });
    await command(`/orders/${later.id}/place`, {});
    const after = await waitForSales(ORDERS + 1);
    expect(after.placed).toBe(BigInt(exact(ORDERS + 1)));
    expect(after.placedCount).toBe(ORDERS + 1);

    const status = await call('GET', `${api}/admin/projections`, { headers: await e2e.authAs('admin1') });
    expect(status.status).toBe(200);
    const projections = (status.body as { projections: Array<{ name: string; deadLetters: number }> })
      .projections;
    expect(projections.map((p) => p.name).sort()).toEqual([
      'customer-orders',
      'daily-sales',
      'order-summary',
    ]);
    for (const projection of projections) expect(projection).toMatchObject({ deadLetters: 0 });
  }, 120_000);
});
