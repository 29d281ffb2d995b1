/**
 * Where a bookkeeping statement runs: a TypeORM data source, entity manager or query runner (then inside the
 * caller's transaction). Answers the rows of a SELECT or RETURNING.
 */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}
