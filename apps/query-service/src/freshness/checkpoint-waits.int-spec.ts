import { randomUUID } from 'node:crypto';
import { createLogger } from '@tandem/platform/observability';
import { createTestDatabase } from '@tandem/platform/testing';
import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import { BatchApplier, eventMessage, orderStory, PROJECTIONS, storyMessages } from '@tandem/read/projections';
import { ProjectionProgress } from '@tandem/read/projections/progress';
import { startQueryService, type QueryServiceUnderTest } from '../test/query-service-under-test';
import { startCheckpointWaits } from './checkpoint-waits';

/**
 * Reads waiting for a consistency token wake on the projections' checkpoint notifications (NOTIFY in the batch's
 * transaction, one LISTEN connection per replica), not on a poll, and are capped per caller and per replica. Real
 * PostgreSQL (or PGlite) and the real projection runtime.
 */
const customerId = randomUUID();

/** One read of these tests: the place to add an Authorization header for every request at once. */
function read(service: QueryServiceUnderTest, orderId: string, version: number, waitSeconds: number) {
  return service.fetch(`/api/orders/${orderId}`, {
    headers: {
      // Signed for the staff caller `service.fetch` sends as.
      'X-Consistency-Token': service.tokens.issue(
        { kind: 'order', streamId: orderId, version },
        'staff-test',
      ),
      Prefer: `wait=${waitSeconds}`,
    },
  });
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

describe('a waiting read', () => {
  let service: QueryServiceUnderTest;
  // No re-check within these tests' bounds: only a notification can wake a read before its bound.
  beforeAll(
    async () => (service = await startQueryService('checkpoint_waits', { CONSISTENCY_RECHECK_MS: '60000' })),
    60_000,
  );
  afterAll(() => service?.close(), 60_000);

  it('wakes when the batch that reaches its version commits, long before its bound', async () => {
    const orderId = randomUUID();
    const messages = storyMessages(orderStory(orderId, customerId, ['line', 'place']));
    await service.project(messages.slice(0, 1));
    const waiting = timed(read(service, orderId, 3, 10));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await service.project(messages.slice(1));
    const committed = Date.now();
    const { value: answer, ms } = await waiting;
    expect(answer.headers.get('x-consistency')).toBe('reached');
    expect((await answer.json()) as { version: number }).toMatchObject({ version: 3 });
    expect(Date.now() - committed).toBeLessThan(2_000);
    expect(ms).toBeLessThan(9_000);
  });

  it('wakes too when a batch moved more streams than a notification can name', async () => {
    const orders = Array.from({ length: 250 }, () => randomUUID());
    const target = orders[orders.length - 1] ?? '';
    const waiting = timed(read(service, target, 1, 10));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await service.project(
      orders.map((orderId) =>
        eventMessage(
          { type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } },
          { streamVersion: 1 },
        ),
      ),
    );
    const committed = Date.now();
    const { value: answer, ms } = await waiting;
    expect(answer.headers.get('x-consistency')).toBe('reached');
    expect(Date.now() - committed).toBeLessThan(2_000);
    expect(ms).toBeLessThan(9_000);
  });

  it('ends behind at its bound when its stream never gets there', async () => {
    const { value: answer, ms } = await timed(read(service, randomUUID(), 99, 1));
    expect(answer.headers.get('x-consistency')).toBe('behind');
    expect(ms).toBeGreaterThanOrEqual(950);
  });
});

describe('the caps', () => {
  it('answer a caller’s read over its cap at once, behind, while its other reads wait', async () => {
    const service = await startQueryService('waits_per_principal', {
      CONSISTENCY_MAX_WAITS_PER_PRINCIPAL: '2',
    });
    try {
      const forged = () => timed(read(service, randomUUID(), 1_000_000, 2));
      const first = [forged(), forged()];
      await new Promise((resolve) => setTimeout(resolve, 200));
      const over = await forged();
      expect(over.value.headers.get('x-consistency')).toBe('behind');
      expect(over.ms).toBeLessThan(500);
      for (const { value, ms } of await Promise.all(first)) {
        expect(value.headers.get('x-consistency')).toBe('behind');
        expect(ms).toBeGreaterThanOrEqual(1_900);
      }
      // The waits ended: the caller may wait again.
      expect((await forged()).ms).toBeGreaterThanOrEqual(1_900);
    } finally {
      await service.close();
    }
  }, 30_000);

  it('answer any read over the replica’s cap at once', async () => {
    const service = await startQueryService('waits_per_replica', { CONSISTENCY_MAX_WAITS: '1' });
    try {
      const waiting = timed(read(service, randomUUID(), 1_000_000, 2));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const over = await timed(read(service, randomUUID(), 1_000_000, 2));
      expect(over.value.headers.get('x-consistency')).toBe('behind');
      expect(over.ms).toBeLessThan(500);
      expect((await waiting).ms).toBeGreaterThanOrEqual(1_900);
    } finally {
      await service.close();
    }
  }, 30_000);
});

describe('without notifications (the LISTEN connection cannot be made)', () => {
  it('polls the checkpoints instead, and says so', async () => {
    const database = await createTestDatabase('waits_polling');
    const db = createReadDataSource({ url: database.url, poolSize: 2 });
    await db.initialize();
    const lines: string[] = [];
    const logger = createLogger('query-service', 'info');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(((_: unknown, message: string) => {
      lines.push(message);
    }) as never);
    const { waits, close } = await startCheckpointWaits({
      databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
      progress: new ProjectionProgress(db),
      logger,
      maxWaits: 10,
      maxWaitsPerPrincipal: 10,
      // Not the re-check: only the poll (50 ms while LISTEN is down) can answer this read before its bound.
      recheckMs: 60_000,
    });
    try {
      await migrateReadDatabase(db);
      const orderId = randomUUID();
      const waiting = timed(waits.wait('order-summary', orderId, 1, 10_000, 'test'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await new BatchApplier(db, PROJECTIONS['order-summary']).apply(
        storyMessages(orderStory(orderId, customerId, [])),
      );
      const { value, ms } = await waiting;
      expect(value).toBe('reached');
      expect(ms).toBeLessThan(9_000);
      expect(lines.some((line) => /notifications unavailable.*poll/.test(line))).toBe(true);
    } finally {
      warn.mockRestore();
      await close();
      await db.destroy();
      await database.drop();
    }
  });
});
