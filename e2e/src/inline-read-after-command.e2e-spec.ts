import { randomUUID } from 'node:crypto';
import { call, startE2eStack, type E2eStack } from './support';

interface CommandAnswer {
  id: string;
  version: number;
  consistencyToken: string;
}

interface CustomerRead {
  orderCounts: { placed: number };
  openOrders: { count: number; total: string } | null;
}

const ROUNDS = 20;

/**
 * Inline or async (ARCHITECTURE decision 12), end to end: the customer's open orders are kept inline, in each
 * command's write transaction, so a read sent right after a command's answer, with no consistency token, already
 * shows it; the async order counts beside them catch up later. Four processes, real databases.
 *
 * @broker-independent: what it checks is HTTP's answer and the write DB's inline model; npm test runs it on Apache
 * Kafka only.
 */
describe('an inline model, read right after the command', () => {
  let e2e: E2eStack;
  let api: string;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_inline');
    api = e2e.api;
  }, 150_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);

  const command = async (path: string, body?: unknown): Promise<CommandAnswer> => {
    const response = await call('POST', `${api}${path}`, {
      ...(body === undefined ? {} : { body }),
      headers: { 'idempotency-key': randomUUID() },
    });
    if (response.status >= 300)
      throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as CommandAnswer;
  };

  const readCustomer = async (id: string, headers: Record<string, string> = {}): Promise<CustomerRead> => {
    const response = await call('GET', `${api}/customers/${id}`, { headers });
    if (response.status !== 200)
      throw new Error(`GET customer: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as CustomerRead;
  };

  it(`shows each order opened and closed in the read that follows its command, ${ROUNDS} rounds`, async () => {
    const registered = await command('/customers', {
      name: 'Ines',
      email: `ines+${randomUUID().slice(0, 8)}@example.com`,
      currency: 'EUR',
      creditLimit: 1_000_000_000,
    });
    // The customer record itself is async: wait for it once, with the registration's token.
    const first = await readCustomer(registered.id, {
      'x-consistency-token': registered.consistencyToken,
      prefer: 'wait=10',
    });
    expect(first.openOrders).toEqual({ count: 0, total: '0' });

    const open: Array<{ id: string; total: number }> = [];
    const failures: string[] = [];
    let asyncCountsCurrent = 0;
    const expectOpen = async (round: number, after: string) => {
      const read = await readCustomer(registered.id);
      const expected = { count: open.length, total: String(open.reduce((sum, o) => sum + o.total, 0)) };
      if (JSON.stringify(read.openOrders) !== JSON.stringify(expected)) {
        failures.push(
          `round ${round}, after ${after}: ${JSON.stringify(read.openOrders)}, not ${JSON.stringify(expected)}`,
        );
      }
      if (read.orderCounts.placed === open.length) asyncCountsCurrent++;
    };
    for (let round = 1; round <= ROUNDS; round++) {
      const order = await command('/orders', { customerId: registered.id });
      await command(`/orders/${order.id}/lines`, {
        sku: `INL-${round}`,
        quantity: 2,
        unitPrice: 100 * round,
      });
      await command(`/orders/${order.id}/place`);
      open.push({ id: order.id, total: 200 * round });
      await expectOpen(round, 'place');
      if (round % 3 === 0) {
        const shipped = open.shift();
        await command(`/orders/${shipped?.id}/ship`);
        await expectOpen(round, 'ship');
      } else if (round % 4 === 0) {
        const cancelled = open.pop();
        await command(`/orders/${cancelled?.id}/cancel`, { reason: 'changed mind' });
        await expectOpen(round, 'cancel');
      }
    }
    process.stdout.write(
      `inline read after command: ${ROUNDS} rounds, open orders current in every read; the async placed count ` +
        `was current in ${asyncCountsCurrent} of those reads\n`,
    );
    expect(failures).toEqual([]);
  });
});
