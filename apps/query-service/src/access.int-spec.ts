import { randomUUID } from 'node:crypto';
import { eventMessage, orderStory, storyMessages } from '@tandem/read/projections';
import { startQueryService, type QueryServiceUnderTest } from './test/query-service-under-test';

/**
 * Who sees what, where the data is: the query service filters a customer's reads by its account in SQL, so a
 * direct call (past the gateway) cannot reach another's records either; another's record answers 404, as a
 * missing one does; lists hold the caller's own orders whatever the filters say.
 */
let service: QueryServiceUnderTest;
const ann = { subject: 'ann-sub', customerId: randomUUID(), order: randomUUID() };
const bob = { subject: 'bob-sub', customerId: randomUUID(), order: randomUUID() };

beforeAll(async () => {
  service = await startQueryService('query_access');
  const registered = (who: typeof ann, name: string) =>
    eventMessage(
      {
        type: 'CustomerRegistered',
        data: {
          customerId: who.customerId,
          name,
          email: `${name}@example.com`,
          currency: 'EUR',
          creditLimit: 1,
        },
      },
      { streamVersion: 1, ownerSubject: who.subject },
    );
  await service.project([
    registered(ann, 'ann'),
    registered(bob, 'bob'),
    ...storyMessages(orderStory(ann.order, ann.customerId, ['line']), new Date('2026-11-28T10:00:00Z')),
    ...storyMessages(orderStory(bob.order, bob.customerId, ['line']), new Date('2026-11-28T11:00:00Z')),
  ]);
}, 60_000);

afterAll(() => service?.close(), 60_000);

async function as(who: { subject: string }, path: string, headers: Record<string, string> = {}) {
  const authorization = await service.issuer.authorization({ subject: who.subject, roles: ['customer'] });
  const response = await service.fetch(path, { headers: { authorization, ...headers } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a customer on the query service', () => {
  it('reads its own customer record and order', async () => {
    expect(await as(ann, `/api/customers/${ann.customerId}`)).toMatchObject({ status: 200 });
    expect(await as(ann, `/api/orders/${ann.order}`)).toMatchObject({ status: 200, body: { id: ann.order } });
  });

  it("gets 404 for another's customer record and order, exactly as for a missing one", async () => {
    const theirs = await as(ann, `/api/orders/${bob.order}`);
    const missing = await as(ann, `/api/orders/${randomUUID()}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe(missing.body.code);
    expect((await as(ann, `/api/customers/${bob.customerId}`)).status).toBe(404);
  });

  it('lists only its own orders, whatever the filters say', async () => {
    const all = await as(ann, '/api/orders');
    expect((all.body.items as Array<{ id: string }>).map((o) => o.id)).toEqual([ann.order]);
    const filtered = await as(ann, `/api/orders?customerId=${bob.customerId}`);
    expect(filtered.body.items).toEqual([]);
  });

  it('may not read the sales report (403), and without a token nothing (401)', async () => {
    expect((await as(ann, '/api/reports/daily-sales?from=2026-11-28&to=2026-11-28')).status).toBe(403);
    const anonymous = await service.fetch(`/api/orders/${ann.order}`, { headers: { authorization: '' } });
    expect(anonymous.status).toBe(401);
  });

  it("refuses another caller's consistency token at once, without waiting", async () => {
    const bobs = service.tokens.issue({ kind: 'order', streamId: bob.order, version: 99 }, bob.subject);
    const started = Date.now();
    const answer = await as(ann, `/api/orders/${ann.order}`, {
      'x-consistency-token': bobs,
      prefer: 'wait=5',
    });
    expect(answer).toMatchObject({ status: 400, body: { code: 'request.invalid' } });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('sees every record as staff', async () => {
    const page = await service.fetch('/api/orders');
    const ids = ((await page.json()) as { items: Array<{ id: string }> }).items.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([ann.order, bob.order]));
  });
});
