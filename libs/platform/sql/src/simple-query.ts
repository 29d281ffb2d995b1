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

/** A simple query's answers as a list, one per statement (the driver gives a lone one unwrapped). */
export function asList(answers: QueryAnswer | QueryAnswer[]): QueryAnswer[] {
  return Array.isArray(answers) ? answers : [answers];
}

/** A statement with its parameters, held back to go out with the transaction's COMMIT. */
export interface HeldWrite {
  sql: string;
  params: unknown[];
}

/**
 * Sends `writes` in order, then `closing` (statements with literals, ending with COMMIT), in as few round trips as
 * it can: one simple query for all of them when every write can be rewritten with literals (`inlineParameters`). A
 * write that cannot goes with its parameters in a round trip of its own, after those before it. PostgreSQL skips
 * the rest of a simple query after a statement that fails, so the COMMIT runs only if every write went through;
 * the caller rolls back when this rejects.
 */
export async function sendInOrder(
  client: SqlClient,
  writes: readonly HeldWrite[],
  closing: readonly string[],
): Promise<void> {
  const statements: string[] = [];
  for (const write of writes) {
    const inlined = inlineParameters(write.sql, write.params);
    if (inlined !== null) {
      statements.push(inlined);
      continue;
    }
    if (statements.length > 0) await client.query(statements.splice(0).join(';\n'));
    await client.query(write.sql, write.params);
  }
  await client.query([...statements, ...closing].join(';\n'));
}

/**
 * A string as an SQL literal, for the simple protocol, which takes no parameters: the literal pg's `escapeLiteral`
 * writes (each quote and backslash doubled, and the `E''` form when there is a backslash). `escapeLiteral` builds
 * its answer a character at a time; a batch's statements carry tens of kilobytes of stream ids and JSON, so the same
 * literal is written here by the engine's own replace, and a string with nothing to escape is only wrapped.
 */
export function sqlLiteral(value: string): string {
  const backslash = value.includes('\\');
  if (!backslash && !value.includes("'")) return `'${value}'`;
  const doubled = value.replace(/'/g, "''");
  return backslash ? ` E'${doubled.replace(/\\/g, '\\\\')}'` : `'${doubled}'`;
}

/** A string, or SQL NULL for undefined or null, as a literal. */
export function sqlLiteralOrNull(value: string | null | undefined): string {
  return value === undefined || value === null ? 'NULL' : sqlLiteral(value);
}

/** What a quoted element of an array's input form escapes. */
const ARRAY_ELEMENT_ESCAPED = /["\\]/;

/**
 * One element of an array's input form, double-quoted, with `\` and `"` escaped as PostgreSQL's array input reads
 * them (pg's own form). Most hold neither (ids, numbers, times): tested first. Backslashes are doubled before
 * quotes gain theirs.
 */
function quotedArrayElement(text: string): string {
  return ARRAY_ELEMENT_ESCAPED.test(text)
    ? `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
    : `"${text}"`;
}

/** What `textArrayLiteral` escapes: `"` and `\` for the array input, `'` (and `\`) for the string literal. */
const NEEDS_ESCAPE_IN_ARRAY = /["'\\]/;

/**
 * A text array as one SQL literal (`'{"a","b\"c"}'`): each element double-quoted with `"` and `\` escaped, as
 * PostgreSQL's array input reads them, then the whole escaped as a string literal. Cast it (`::text[]`) in the query.
 */
export function textArrayLiteral(values: readonly string[]): string {
  // Mostly stream ids, with nothing to escape: then the same literal, in one join.
  if (values.length > 0 && !values.some((v) => NEEDS_ESCAPE_IN_ARRAY.test(v)))
    return `'{"${values.join('","')}"}'`;
  return sqlLiteral(`{${values.map(quotedArrayElement).join(',')}}`);
}

/** An integer array literal (`'{1,2,3}'`); throws on anything but safe integers, so nothing else reaches the SQL. */
export function intArrayLiteral(values: readonly number[]): string {
  for (const v of values) {
    if (!Number.isSafeInteger(v))
      throw new TypeError(`not an integer for an SQL array literal: ${String(v)}`);
  }
  return `'{${values.join(',')}}'`;
}

/**
 * A statement with parameters (`$1`, `$2`…) as one with literals, for a simple-protocol query: each parameter as
 * the text pg would send for it (`String(value)`; an array as PostgreSQL's array input form, as pg writes it), as a
 * quoted literal, so its type comes from the statement's casts or context exactly as a parameter's does. Null when
 * the statement cannot be rewritten safely: it holds a quote, a comment or a `$` that is not plainly a parameter
 * (where `$1` might be part of a string, an identifier or a dollar-quoted body), refers to a parameter it was not
 * given, or a value is of a kind pg would not send as text (a Buffer, a Date, an object). The caller then sends it
 * with its parameters.
 */
export function inlineParameters(sql: string, params: readonly unknown[]): string | null {
  if (/['"]|--|\/\*/.test(sql)) return null;
  // Every `$` must start a parameter, after something that cannot be part of an identifier or a literal.
  if (/\$(?!\d)|[^\s(,=<>+\-*/|[:]\$/.test(sql)) return null;
  let inlinable = true;
  const text = sql.replace(/\$(\d+)/g, (_, digits: string) => {
    const index = Number(digits) - 1;
    const literal = index >= 0 && index < params.length ? parameterLiteral(params[index]) : null;
    if (literal === null) inlinable = false;
    return literal ?? '';
  });
  return inlinable ? text : null;
}

/** One parameter's value as a literal; null when pg would not send it as plain text. */
function parameterLiteral(value: unknown): string | null {
  if (value === null || value === undefined) return 'NULL';
  const text = parameterText(value);
  return text === null ? null : sqlLiteral(text);
}

function parameterText(value: unknown): string | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object': {
      if (!Array.isArray(value)) return null;
      const elements: string[] = [];
      for (const element of value as unknown[]) {
        if (element === null || element === undefined) {
          elements.push('NULL');
          continue;
        }
        const text = parameterText(element);
        if (text === null) return null;
        // A nested array is written as it is; any other element quoted.
        elements.push(Array.isArray(element) ? text : quotedArrayElement(text));
      }
      return `{${elements.join(',')}}`;
    }
    default:
      return null;
  }
}
