import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@tandem/platform/testing';
import { inlineParameters } from './simple-query';

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
