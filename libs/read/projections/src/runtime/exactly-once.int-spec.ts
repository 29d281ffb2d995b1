import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TandemEvent } from '@tandem/contracts';
import { createReadDataSource, migrateReadDatabase, READ_MODEL_TABLES } from '@tandem/read/models';
import { createTestDatabase, type TestDatabase } from '@tandem/platform/testing';
import { eventMessage, orderStory } from '../testing/event-messages';
import { BatchApplier } from './batch-applier';
import type { IncomingMessage } from './incoming-message';
import { PROJECTIONS } from './projection-catalog';
import type { Projection } from './projection';

/**
 * Must-show 1 of the read-side issue, at the level where it is decided: 5,000 events delivered twice, in batches
 * cut at random places, with the "process" killed mid-batch now and then (the transaction dies with the process;
 * delivery resumes from the last committed offset). Every read model must equal, row by row, the one built by a
 * single clean pass into copies of its tables.
 */
const EVENTS = 5_000;
let database: TestDatabase;
let db: DataSource;

beforeAll(async () => {
  database = await createTestDatabase('exactly_once');
  db = createReadDataSource({ url: database.url, poolSize: 2 });
  await db.initialize();
  await migrateReadDatabase(db);
  for (const tables of Object.values(READ_MODEL_TABLES)) {
    for (const table of tables) await db.query(`CREATE TABLE ${table}_clean (LIKE ${table} INCLUDING ALL)`);
  }
}, 60_000);

afterAll(async () => {
  if (db?.isInitialized) await db.destroy();
  await database?.drop();
}, 60_000);

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Many orders' streams interleaved in one partition log, each stream in order, as Kafka delivers one partition. */
function partitionLog(rand: () => number): IncomingMessage[] {
  const streams: TandemEvent[][] = [];
  let total = 0;
  const customers = Array.from({ length: 20 }, () => randomUUID());
  for (const customerId of customers) {
    streams.push([
      {
        type: 'CustomerRegistered',
        data: { customerId, name: 'C', email: 'c@example.com', currency: 'EUR', creditLimit: 1 },
      },
    ]);
    total += 1;
  }
  const shapes: Array<Array<'line' | 'place' | 'ship' | 'cancel'>> = [
    ['line', 'line', 'place', 'ship'],
    ['line', 'place', 'cancel'],
    ['line', 'line', 'line'],
    ['line', 'place'],
  ];
  while (total < EVENTS) {
    const customerId = customers[Math.floor(rand() * customers.length)] ?? '';
    const story = orderStory(randomUUID(), customerId, shapes[Math.floor(rand() * shapes.length)] ?? []);
    const events = story.slice(0, Math.min(story.length, EVENTS - total));
    streams.push(events);
    total += events.length;
  }
  const next = streams.map(() => 0);
  const log: IncomingMessage[] = [];
  const start = Date.parse('2026-11-20T00:00:00Z');
  while (log.length < EVENTS) {
    const open = streams.map((_, i) => i).filter((i) => (next[i] ?? 0) < (streams[i]?.length ?? 0));
    const pick = open[Math.floor(rand() * open.length)] ?? 0;
    const version = (next[pick] ?? 0) + 1;
    next[pick] = version;
    const event = streams[pick]?.[version - 1];
    if (!event) continue;
    log.push(
      eventMessage(event, {
        streamVersion: version,
        offset: log.length,
        time: new Date(start + log.length * 60_000).toISOString(),
      }),
    );
  }
  return log;
}

class SimulatedCrash extends Error {
  // A connection killed with its process looks like this to the driver: a transient failure.
  readonly code = '57P01';
}

/** A projection that dies after `after` events of the current batch, as a killed process would. */
function crashing(projection: Projection, state: { crashAfter: number | null }): Projection {
  let seen = 0;
  const applyMany = projection.applyMany;
  return {
    ...projection,
    // The batch path dies after writing its rows, before the commit.
    ...(applyMany
      ? {
          applyMany: async (events, context) => {
            await applyMany(events, context);
            if (state.crashAfter !== null) throw new SimulatedCrash('killed mid-batch');
          },
        }
      : {}),
    apply: async (event, context) => {
      if (state.crashAfter !== null && seen++ >= state.crashAfter)
        throw new SimulatedCrash('killed mid-batch');
      await projection.apply(event, context);
    },
  };
}

test(`${EVENTS} events delivered twice, cut at random, killed mid-batch: read models equal a clean pass`, async () => {
  const rand = random(20261129);
  for (const [name, projection] of Object.entries(PROJECTIONS)) {
    const log = partitionLog(rand).filter((m) => projection.topics.includes(m.topic));
    // The clean pass goes event by event through `apply`; the live one takes the batch path where there is one, so
    // the comparison also checks the two paths against each other.
    const { applyMany: _batchPath, ...eventByEvent } = projection;
    const clean = new BatchApplier(db, eventByEvent, {
      namespace: `${name}@clean`,
      table: (t) => `${t}_clean`,
    });
    await clean.apply(log);

    const state: { crashAfter: number | null } = { crashAfter: null };
    const live = new BatchApplier(db, crashing(projection, state));
    let crashes = 0;
    const paths = { continuing: 0, general: 0 };
    for (let pass = 0; pass < 2; pass++) {
      let committed = 0;
      while (committed < log.length) {
        const size = 1 + Math.floor(rand() * 400);
        const batch = log.slice(committed, committed + size);
        state.crashAfter = rand() < 0.2 ? Math.floor(rand() * batch.length) : null;
        try {
          paths[(await live.apply(batch)).path] += 1;
          committed += batch.length;
        } catch (error) {
          if (!(error instanceof SimulatedCrash)) throw error;
          crashes += 1;
        }
      }
    }
    expect(crashes).toBeGreaterThan(0);
    // The first pass mostly continues its streams, the second only redelivers: both paths were exercised.
    expect(paths.continuing).toBeGreaterThan(0);
    expect(paths.general).toBeGreaterThan(0);

    for (const table of READ_MODEL_TABLES[name as keyof typeof READ_MODEL_TABLES]) {
      const [key] = (await db.query(
        `SELECT string_agg(a.attname, ', ' ORDER BY a.attnum) AS columns FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = $1::regclass AND i.indisprimary`,
        [table],
      )) as Array<{ columns: string }>;
      const rows = (t: string) => db.query(`SELECT * FROM ${t} ORDER BY ${key?.columns}`);
      const built = await rows(table);
      expect(built.length).toBeGreaterThan(0);
      expect(built).toEqual(await rows(`${table}_clean`));
    }
  }
}, 600_000);
