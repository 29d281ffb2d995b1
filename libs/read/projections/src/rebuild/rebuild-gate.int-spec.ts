import { randomUUID } from 'node:crypto';
import { READ_MODEL_TABLES, openMigratedReadDatabase, type MigratedReadDatabase } from '@tandem/read/models';
import { isRealPostgres } from '@tandem/platform/testing';
import { BatchApplier } from '../runtime/batch-applier';
import { PROJECTIONS } from '../runtime/projection-catalog';
import { orderStory, storyMessages } from '../testing/event-messages';
import { closeGate, tryOwnRebuild } from './rebuild-gate';
import { createRebuildTables, REBUILD_SUFFIX } from './table-swap';

// Advisory locks need sessions of their own: PGlite has one session for every connection.
const describeOnServer = isRealPostgres() ? describe : describe.skip;

/**
 * The rebuild gate, where it is decided: while a rebuild holds it closed, a live batch of that projection (either
 * path) waits before it writes anything, on every replica alike, and goes on once the gate opens; the rebuild's own
 * copy is not held up. Only one session owns a projection's rebuild at a time.
 */
describeOnServer('the rebuild gate (real Postgres only)', () => {
  let db: MigratedReadDatabase;
  const projection = PROJECTIONS['order-summary'];

  beforeAll(async () => {
    db = await openMigratedReadDatabase('rebuild_gate', 6);
    await createRebuildTables(db.dataSource, READ_MODEL_TABLES['order-summary'], 'order-summary@rebuild');
  }, 60_000);
  afterAll(() => db?.close(), 60_000);

  const settled = async (work: Promise<unknown>, ms: number): Promise<boolean> =>
    Promise.race([
      work.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
    ]);

  it('holds live batches while closed and lets them through once open; the copy goes on', async () => {
    const rebuild = db.dataSource.createQueryRunner();
    await rebuild.connect();
    const live = new BatchApplier(db.dataSource, projection);
    const copy = new BatchApplier(db.dataSource, projection, {
      namespace: 'order-summary@rebuild',
      table: (table) => `${table}${REBUILD_SUFFIX}`,
    });
    try {
      expect(await tryOwnRebuild(rebuild, 'order-summary')).toBe(true);
      await closeGate(rebuild, 'order-summary');
      const story = storyMessages(orderStory(randomUUID(), randomUUID(), ['line', 'place']));
      // The continuing path (a stream continued from the start) and the general path (a gap: parked).
      const continuing = live.apply(story);
      const general = live.apply(storyMessages(orderStory(randomUUID(), randomUUID(), ['line'])).slice(1));
      expect(await settled(copy.apply(story), 5_000)).toBe(true);
      expect(await settled(Promise.all([continuing, general]), 1_000)).toBe(false);

      await rebuild.query('SELECT pg_advisory_unlock_all()');
      const [applied, parked] = await Promise.all([continuing, general]);
      expect(applied).toMatchObject({ path: 'continuing', applied: 3 });
      expect(parked).toMatchObject({ path: 'general', parked: 1 });
    } finally {
      await rebuild.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await rebuild.release();
    }
  });

  it('gives a projection’s rebuild to one session at a time', async () => {
    const [first, second] = [db.dataSource.createQueryRunner(), db.dataSource.createQueryRunner()];
    await first.connect();
    await second.connect();
    try {
      expect(await tryOwnRebuild(first, 'daily-sales')).toBe(true);
      expect(await tryOwnRebuild(second, 'daily-sales')).toBe(false);
      expect(await tryOwnRebuild(second, 'customer-orders')).toBe(true);
      await first.query('SELECT pg_advisory_unlock_all()');
      expect(await tryOwnRebuild(second, 'daily-sales')).toBe(true);
    } finally {
      for (const runner of [first, second]) {
        await runner.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
        await runner.release();
      }
    }
  });
});
