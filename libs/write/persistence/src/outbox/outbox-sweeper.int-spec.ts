import { randomUUID } from 'node:crypto';
import { createLogger } from '@tandem/platform/observability';
import { waitFor } from '@tandem/platform/testing';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { RecordingPublisher } from '../test/recording-publisher';
import { OutboxRelay } from './outbox-relay';
import { OutboxSweeper } from './outbox-sweeper';

// Embedded PGlite starts slowly on a busy machine.
jest.setTimeout(90_000);

const logger = createLogger('outbox-sweeper-test', 'silent');
const HOUR = 3600_000;
let db: WriteTestDatabase;

beforeAll(async () => {
  db = await createWriteTestDatabase('outbox_sweeper');
});
afterAll(() => db.close());
beforeEach(() => db.dataSource.query(`DELETE FROM outbox`));

/**
 * `count` outbox rows created `hoursAgo`, published on their topic `publishedHoursAgo` (null: not yet) and on the
 * topic that replaced it `latestPublishedHoursAgo` (the same as the first unless said; null: not yet, as a row the
 * previous release's relay published leaves it); returns their ids.
 */
async function rows(
  count: number,
  hoursAgo: number,
  publishedHoursAgo: number | null,
  latestPublishedHoursAgo: number | null = publishedHoursAgo,
  topic = 'orders.customer.v1',
): Promise<string[]> {
  const found = (await db.dataSource.query(
    `INSERT INTO outbox (event_id, topic, message_key, envelope, payload, created_at, published_at,
                         latest_published_at)
     SELECT gen_random_uuid(), $5, 'k', '{}', '{}', now() - make_interval(hours => $2),
            CASE WHEN $3::int IS NULL THEN NULL ELSE now() - make_interval(hours => $3::int) END,
            CASE WHEN $4::int IS NULL THEN NULL ELSE now() - make_interval(hours => $4::int) END
       FROM generate_series(1, $1)
     RETURNING event_id`,
    [count, hoursAgo, publishedHoursAgo, latestPublishedHoursAgo, topic],
  )) as Array<{ event_id: string }>;
  return found.map((row) => row.event_id);
}

async function left(): Promise<string[]> {
  const found = (await db.dataSource.query(`SELECT event_id FROM outbox ORDER BY event_id`)) as Array<{
    event_id: string;
  }>;
  return found.map((row) => row.event_id);
}

describe('OutboxSweeper', () => {
  it('deletes published rows past the retention, a small batch at a time, and never an unpublished one', async () => {
    await rows(25, 50, 49);
    const recent = await rows(3, 50, 1);
    const waiting = await rows(2, 50, null);
    const sweeper = new OutboxSweeper({
      dataSource: db.dataSource,
      logger,
      retentionMs: 24 * HOUR,
      batchSize: 10,
    });
    expect(await sweeper.sweep()).toBe(25);
    expect(await left()).toEqual([...recent, ...waiting].sort());
    expect(await sweeper.sweep()).toBe(0);
  });

  it('deletes a dual-published row only once both its deliveries are done and past the retention', async () => {
    // orders.order.v1 rows owe orders.order.v2 too (latest_published_at).
    const order = 'orders.order.v1';
    const done = await rows(3, 60, 50, 49, order);
    const v1Only = await rows(2, 60, 50, null, order); // the previous release's relay: v2 still owed
    const v2Only = await rows(2, 60, null, 50, order);
    const v2Recent = await rows(2, 60, 50, 1, order); // the second delivery is within the retention
    const sweeper = new OutboxSweeper({ dataSource: db.dataSource, logger, retentionMs: 24 * HOUR });
    expect(await sweeper.sweep()).toBe(done.length);
    expect(await left()).toEqual([...v1Only, ...v2Only, ...v2Recent].sort());
  });

  it('keeps the rows its retention covers', async () => {
    const kept = await rows(4, 30, 20);
    const sweeper = new OutboxSweeper({ dataSource: db.dataSource, logger, retentionMs: 21 * HOUR });
    expect(await sweeper.sweep()).toBe(0);
    expect(await left()).toEqual([...kept].sort());
  });

  it('runs beside the relay without holding it up: new events are published while a large sweep runs', async () => {
    await rows(50_000, 10, 9);
    const publisher = new RecordingPublisher();
    const relay = new OutboxRelay({ databaseUrl: db.url, publisher, logger, pollIntervalMs: 20 });
    relay.start();
    const sweeper = new OutboxSweeper({
      dataSource: db.dataSource,
      logger,
      retentionMs: HOUR,
      batchSize: 500,
    });
    try {
      let swept: number | null = null;
      const sweeping = sweeper.sweep().then((n) => (swept = n));
      const latencies: number[] = [];
      while (swept === null) {
        const id = randomUUID();
        const insertedAt = Date.now();
        await db.dataSource.query(
          `INSERT INTO outbox (event_id, topic, message_key, envelope, payload)
           VALUES ($1, 'orders.customer.v1', 'k', '{}', '{}')`,
          [id],
        );
        await waitFor(
          async () =>
            (
              (await db.dataSource.query(`SELECT published_at FROM outbox WHERE event_id = $1`, [
                id,
              ])) as Array<{
                published_at: Date | null;
              }>
            )[0]?.published_at !== null,
          { timeoutMs: 10_000, intervalMs: 5 },
        );
        latencies.push(Date.now() - insertedAt);
      }
      await sweeping;
      expect(swept).toBe(50_000);
      // Published and marked while the sweep ran, each within a second (the relay polls every 20 ms).
      expect(latencies.length).toBeGreaterThanOrEqual(3);
      expect(Math.max(...latencies)).toBeLessThan(1_000);
      expect(await left()).toHaveLength(latencies.length);
      expect(publisher.messages).toHaveLength(latencies.length);
    } finally {
      await relay.stop();
    }
  });
});
