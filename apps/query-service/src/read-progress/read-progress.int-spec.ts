import { randomUUID } from 'node:crypto';
import { CommandProjections } from '@tandem/contracts';
import { eventMessage, orderStory, storyMessages } from '@tandem/read/projections';
import { startQueryService, type QueryServiceUnderTest } from '../test/query-service-under-test';

/**
 * `GET /read-progress` (the read side's part of a command's status) on a read DB filled by the real projections: each
 * projection that consumes the stream's topic with the version it has applied, for a token issued to the caller.
 */
let service: QueryServiceUnderTest;
const customerId = randomUUID();
const orderId = randomUUID();

beforeAll(async () => {
  service = await startQueryService('read_progress');
  await service.project([
    eventMessage(
      {
        type: 'CustomerRegistered',
        data: { customerId, name: 'Ada', email: 'ada@example.com', currency: 'EUR', creditLimit: 50_000 },
      },
      { streamVersion: 1, time: '2026-11-28T09:00:00.000Z' },
    ),
    // Versions 1 (created), 2 (a line), 3 (placed).
    ...storyMessages(orderStory(orderId, customerId, ['line', 'place']), new Date('2026-11-28T10:00:00Z')),
  ]);
}, 60_000);

afterAll(() => service?.close(), 60_000);

const progress = (token: string | undefined) =>
  service
    .fetch('/read-progress', {
      headers: token === undefined ? {} : { 'x-consistency-token': token },
    })
    .then(async (response) => ({
      status: response.status,
      body: (await response.json()) as unknown,
    }));

describe('GET /read-progress', () => {
  it("lists every projection of an order stream, each with its applied version and whether it reached the token's", async () => {
    const reached = await progress(
      service.tokens.issue({ kind: 'order', streamId: orderId, version: 3 }, 'staff-test'),
    );
    expect(reached.status).toBe(200);
    expect(
      CommandProjections.parse(reached.body).projections.sort((a, b) =>
        a.projection.localeCompare(b.projection),
      ),
    ).toEqual([
      { projection: 'customer-orders', appliedVersion: 3, applied: true },
      { projection: 'daily-sales', appliedVersion: 3, applied: true },
      { projection: 'order-summary', appliedVersion: 3, applied: true },
    ]);
    const ahead = await progress(
      service.tokens.issue({ kind: 'order', streamId: orderId, version: 4 }, 'staff-test'),
    );
    expect(
      CommandProjections.parse(ahead.body).projections.every((p) => p.appliedVersion === 3 && !p.applied),
    ).toBe(true);
  });

  it('lists only the projections that read the customer topic for a customer stream', async () => {
    const answer = await progress(
      service.tokens.issue({ kind: 'customer', streamId: customerId, version: 1 }, 'staff-test'),
    );
    expect(CommandProjections.parse(answer.body).projections).toEqual([
      { projection: 'customer-orders', appliedVersion: 1, applied: true },
    ]);
  });

  it('refuses a missing token, and one issued to someone else, before reading anything', async () => {
    expect((await progress(undefined)).status).toBe(400);
    const theirs = await progress(
      service.tokens.issue({ kind: 'order', streamId: orderId, version: 1 }, 'someone-else'),
    );
    expect(theirs).toMatchObject({ status: 400, body: { code: 'request.invalid' } });
  });
});
