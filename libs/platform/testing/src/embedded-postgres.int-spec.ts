import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/**
 * The embedded server shares PGlite's one session between connections. Several connections sending parameterized
 * queries (extended protocol: Parse, Bind, Execute, Sync) while others run transactions must each get their own
 * answer: with @electric-sql/pglite-socket's own queue, 800 such queries gave about 240 wrong rows (another
 * connection's statement bound to these parameters), 120 errors (`unnamed prepared statement does not exist`,
 * `portal "" does not exist`) and a query that never answered.
 */
describe('embedded Postgres (PGlite) under concurrent connections', () => {
  let db: EmbeddedPostgres;
  let pool: Pool;

  beforeAll(async () => {
    db = await startEmbeddedPostgres();
    // A query that never gets its answer fails the test instead of hanging it.
    pool = new Pool({ connectionString: db.url, max: 8, query_timeout: 5000, connectionTimeoutMillis: 5000 });
    pool.on('error', () => undefined);
    await pool.query('CREATE TABLE items (id int PRIMARY KEY, owner text NOT NULL)');
  });

  afterAll(async () => {
    await pool?.end();
    await db?.stop();
  });

  it('keeps the extended-query cycles and transactions of concurrent connections apart', async () => {
    const answers: Array<{ expected: string; got: string }> = [];
    const errors: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 50; i++) {
          const id = worker * 1000 + i;
          const owner = `worker-${worker}`;
          try {
            if (worker % 2 === 0) {
              const client = await pool.connect();
              try {
                await client.query('BEGIN');
                const inserted = await client.query<{ id: number; owner: string }>(
                  'INSERT INTO items (id, owner) VALUES ($1, $2) RETURNING id, owner',
                  [id, owner],
                );
                await client.query('COMMIT');
                const row = inserted.rows[0];
                answers.push({ expected: `${id}/${owner}`, got: `${row?.id}/${row?.owner}` });
              } finally {
                client.release();
              }
            } else {
              const selected = await pool.query<{ id: number; owner: string }>(
                'SELECT $1::int AS id, $2::text AS owner',
                [id, owner],
              );
              const row = selected.rows[0];
              answers.push({ expected: `${id}/${owner}`, got: `${row?.id}/${row?.owner}` });
            }
          } catch (error) {
            errors.push(error instanceof Error ? error.message : String(error));
          }
        }
      }),
    );
    expect(errors).toEqual([]);
    expect(answers.filter((a) => a.expected !== a.got)).toEqual([]);
    expect(answers).toHaveLength(400);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM items');
    expect(Number(rows[0]?.n)).toBe(200);
  }, 30_000);

  it('delivers a notification to the connection that listens, not to the one that committed it', async () => {
    const listener = await pool.connect();
    const notifier = await pool.connect();
    try {
      const heard: string[] = [];
      const misdirected: string[] = [];
      listener.on('notification', (n) => heard.push(`${n.channel}:${n.payload ?? ''}`));
      notifier.on('notification', (n) => misdirected.push(n.channel));
      await listener.query('LISTEN rows_added');
      await notifier.query('BEGIN');
      await notifier.query(`SELECT pg_notify('rows_added', $1)`, ['first']);
      await notifier.query('COMMIT');
      await notifier.query(`NOTIFY rows_added, 'second'`);
      const deadline = Date.now() + 2000;
      while (heard.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(heard).toEqual(['rows_added:first', 'rows_added:second']);
      expect(misdirected).toEqual([]);
      await listener.query('UNLISTEN rows_added');
    } finally {
      listener.release();
      notifier.release();
    }
  });

  it('gives the session back when a connection leaves inside a transaction', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO items (id, owner) VALUES ($1, $2)', [99_999, 'left']);
    client.release(true); // closes the connection mid-transaction
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM items WHERE id = $1',
      [99_999],
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });
});
