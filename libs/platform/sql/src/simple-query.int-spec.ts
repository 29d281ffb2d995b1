import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@tandem/platform/testing';
import { inlineParameters, sendInOrder, type SqlClient } from './simple-query';

/**
 * A statement rewritten with literals must mean exactly what it meant with parameters: the same values, typed the
 * same, whatever the strings hold (quotes, backslashes, the array syntax's own characters, NULL, non-ASCII).
 */
let database: TestDatabase;
let client: Client;

beforeAll(async () => {
  database = await createTestDatabase('simple_query');
  client = new Client({ connectionString: database.url });
  await client.connect();
}, 60_000);

afterAll(async () => {
  await client?.end();
  await database?.drop();
}, 60_000);

const awkward = ["it's", 'back\\slash', 'quo"te', '{braces,}', 'NULL', ' spaced ', 'ü€', '', '\\\'"\\'];

test('an inlined statement reads the same values as the statement with parameters', async () => {
  const sql = `SELECT $1::text AS t, $2::text[] AS ts, $3::numeric AS n, $4::bigint[] AS bs, $5::date AS d,
                      $6::char(3) AS c, $7::int AS nothing, $8::jsonb AS j, $9::jsonb[] AS js, $10::boolean AS b`;
  for (const text of awkward) {
    const params = [
      text,
      [text, null, ...awkward],
      123456789012345678901234567890n,
      [1, -2, null, 9007199254740993n],
      '2026-03-04',
      'EUR',
      null,
      JSON.stringify({ text, list: awkward }),
      [JSON.stringify([text]), null, JSON.stringify({ k: text })],
      true,
    ];
    const inlined = inlineParameters(sql, params);
    expect(inlined).not.toBeNull();
    const withParams = (await client.query(sql, params)).rows;
    const withLiterals = (await client.query(inlined ?? '')).rows;
    expect(withLiterals).toEqual(withParams);
    expect(withLiterals[0]).toMatchObject({ t: text, ts: [text, null, ...awkward] });
  }
});

test('sendInOrder: held writes and COMMIT in one round trip; a write it cannot inline goes on its own, in order', async () => {
  await client.query('CREATE TABLE held (n int PRIMARY KEY, note text)');
  const sent: string[] = [];
  const counting: SqlClient = {
    query: (sql: string, params?: unknown[]) => {
      sent.push(sql);
      return client.query(sql, params) as never;
    },
  };
  await client.query('BEGIN');
  await sendInOrder(
    counting,
    [
      { sql: 'INSERT INTO held (n, note) VALUES ($1, $2)', params: [1, "it's"] },
      { sql: `INSERT INTO held (n, note) VALUES ($1, 'literal')`, params: [2] },
      { sql: 'INSERT INTO held (n, note) VALUES ($1, $2)', params: [3, null] },
    ],
    ['COMMIT'],
  );
  // The first alone (it goes before the one it cannot inline), the second with its parameters, the third and COMMIT.
  expect(sent).toHaveLength(3);
  expect((await client.query('SELECT n, note FROM held ORDER BY n')).rows).toEqual([
    { n: 1, note: "it's" },
    { n: 2, note: 'literal' },
    { n: 3, note: null },
  ]);

  // A failing write skips the rest of its query, COMMIT included: nothing of the transaction is kept.
  await client.query('BEGIN');
  await expect(
    sendInOrder(
      client,
      [
        { sql: 'INSERT INTO held (n) VALUES ($1)', params: [4] },
        { sql: 'INSERT INTO held (n) VALUES ($1)', params: [1] },
      ],
      ['COMMIT'],
    ),
  ).rejects.toThrow(/duplicate key/);
  await client.query('ROLLBACK');
  expect((await client.query('SELECT count(*)::int AS c FROM held')).rows).toEqual([{ c: 3 }]);
});
