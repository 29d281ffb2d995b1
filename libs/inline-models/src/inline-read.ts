/** Where the query service runs an inline model's query: its read-only connection to the write DB (or a replica). */
export interface InlineReader {
  query<Row = Record<string, unknown>>(sql: string, params: unknown[]): Promise<Row[]>;
}

/**
 * The write side's record of the inline models it has filled from the event store (one row per model, written by
 * its catch-up and its rebuild). A model without a row there is not trusted yet: its table may be empty or partial.
 */
export const INLINE_MODELS_TABLE = 'inline_models';
