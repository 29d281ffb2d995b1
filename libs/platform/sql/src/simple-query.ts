import { escapeLiteral } from 'pg';

/** What one statement answered: the rows of a SELECT or RETURNING (none for other statements). */
export interface QueryAnswer {
  rows: unknown[];
}

/**
 * The driver's own connection (pg's `Client`), as both sides use it for their hot paths: a simple-protocol query of
 * several statements in one round trip (no parameters), or one statement with parameters.
 */
export interface SqlClient {
  /** One answer per statement: several for a simple query of several statements. */
  query(sql: string, params?: unknown[]): Promise<QueryAnswer | QueryAnswer[]>;
}

/** The answer of a query's last statement: what a multi-statement simple query was sent for. */
export function lastAnswer(answers: QueryAnswer | QueryAnswer[]): QueryAnswer {
  return (Array.isArray(answers) ? answers[answers.length - 1] : answers) ?? { rows: [] };
}

/** A string as an SQL literal, for the simple protocol, which takes no parameters. */
export function sqlLiteral(value: string): string {
  return escapeLiteral(value);
}

/** A string, or SQL NULL for undefined or null, as a literal. */
export function sqlLiteralOrNull(value: string | null | undefined): string {
  return value === undefined || value === null ? 'NULL' : escapeLiteral(value);
}

/**
 * A text array as one SQL literal (`'{"a","b\"c"}'`): each element double-quoted with `"` and `\` escaped, as
 * PostgreSQL's array input reads them, then the whole escaped as a string literal. Cast it (`::text[]`) in the query.
 */
export function textArrayLiteral(values: readonly string[]): string {
  return escapeLiteral(`{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
}

/** An integer array literal (`'{1,2,3}'`); throws on anything but safe integers, so nothing else reaches the SQL. */
export function intArrayLiteral(values: readonly number[]): string {
  for (const v of values) {
    if (!Number.isSafeInteger(v))
      throw new TypeError(`not an integer for an SQL array literal: ${String(v)}`);
  }
  return `'{${values.join(',')}}'`;
}
