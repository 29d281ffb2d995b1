import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createLogger } from '@tandem/platform/observability';
import { isRealPostgres, waitFor } from '@tandem/platform/testing';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { IdempotencyKeySweeper } from './idempotency-key-sweeper';

// Embedded PGlite starts slowly on a busy machine.
jest.setTimeout(60_000);

let db: WriteTestDatabase;
const logger = createLogger('sweeper-test', 'silent');

beforeAll(async () => {
  db = await createWriteTestDatabase('key_sweeper');
});
afterAll(() => db.close());
beforeEach(() => db.dataSource.query(`DELETE FROM idempotency_keys`));

/** Stores keys created `hoursAgo`, and returns them. */
async function keys(count: number, hoursAgo: number): Promise<string[]> {
  const made = Array.from({ length: count }, () => `key-${randomUUID()}`);
  for (const key of made) {
    await db.dataSource.query(
      `INSERT INTO idempotency_keys (key, fingerprint, answer, created_at)
       VALUES ($1, 'f', '{}', now() - make_interval(hours => $2))`,
      [key, hoursAgo],
    );
  }
  return made;
}

async function stored(): Promise<string[]> {
  const rows = (await db.dataSource.query(`SELECT key FROM idempotency_keys ORDER BY key`)) as Array<{
    key: string;
  }>;
  return rows.map((r) => r.key);
}

describe('IdempotencyKeySweeper', () => {
  it('deletes the keys past their retention, a batch at a time, and keeps the others', async () => {
    await keys(5, 26);
    const young = await keys(2, 1);
    const sweeper = new IdempotencyKeySweeper({ dataSource: db.dataSource, logger, batchSize: 2 });
    expect(await sweeper.sweep()).toBe(5);
    expect(await stored()).toEqual([...young].sort());
    expect(await sweeper.sweep()).toBe(0);
  });

  it('deletes the refusals kept under keys past the same retention', async () => {
    for (const [key, hoursAgo] of [
      ['old-refusal', 26],
      ['young-refusal', 1],
    ] as const) {
      await db.dataSource.query(
        `INSERT INTO command_rejections (key, fingerprint, problem, rejected_at)
         VALUES ($1, 'f', '{}', now() - make_interval(hours => $2))`,
        [key, hoursAgo],
      );
    }
    await new IdempotencyKeySweeper({ dataSource: db.dataSource, logger }).sweep();
    const rows = (await db.dataSource.query(`SELECT key FROM command_rejections`)) as Array<{ key: string }>;
    expect(rows.map((r) => r.key)).toEqual(['young-refusal']);
  });

  it('keeps a key for the retention it is given', async () => {
    const [recent] = await keys(1, 2);
    const sweeper = new IdempotencyKeySweeper({
      dataSource: db.dataSource,
      logger,
      retentionMs: 3 * 3600_000,
    });
    expect(await sweeper.sweep()).toBe(0);
    expect(await stored()).toEqual([recent]);
  });

  it('sweeps on its own interval once started, and not after it stopped', async () => {
    const sweeper = new IdempotencyKeySweeper({ dataSource: db.dataSource, logger, intervalMs: 50 });
    sweeper.start();
    try {
      await keys(1, 26);
      await waitFor(async () => (await stored()).length === 0, { what: 'the old key swept' });
      await keys(1, 26);
      await waitFor(async () => (await stored()).length === 0, { what: 'the next old key swept' });
    } finally {
      await sweeper.stop();
    }
    const [left] = await keys(1, 26);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await stored()).toEqual([left]);
  });

  // A second session holding a row lock needs a real server: PGlite runs one session.
  (isRealPostgres() ? it : it.skip)(
    'skips a key another session has locked, rather than waiting for it',
    async () => {
      const [locked] = await keys(2, 26);
      const other = new Client({ connectionString: db.url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`SELECT key FROM idempotency_keys WHERE key = $1 FOR UPDATE`, [locked]);
        const sweeper = new IdempotencyKeySweeper({ dataSource: db.dataSource, logger });
        expect(await sweeper.sweep()).toBe(1);
        expect(await stored()).toEqual([locked]);
        await other.query('ROLLBACK');
        expect(await sweeper.sweep()).toBe(1);
        expect(await stored()).toEqual([]);
      } finally {
        await other.end();
      }
    },
  );
});
