import { connect } from 'node:net';
import { Client } from 'pg';
import type { Stack } from '@tandem/dev-stack';
import type { JsonResponse } from './support';

/** What a refused request must leave unchanged: every write-side table a command writes to. */
export async function writeSideRows(stack: Stack): Promise<Record<string, number>> {
  const client = new Client({ connectionString: stack.writeDatabaseUrl });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of ['events', 'customers', 'outbox', 'idempotency_keys']) {
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      counts[table] = Number(result.rows[0]?.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

export async function deadLetterCount(stack: Stack): Promise<number> {
  const client = new Client({ connectionString: stack.readDatabaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM dead_letters');
    return Number(result.rows[0]?.n);
  } finally {
    await client.end();
  }
}

/** A problem answer: its status is the HTTP status, its type names its code, and it says where it happened. */
export function expectProblem(response: JsonResponse, status: number, code: string): Record<string, unknown> {
  expect({ status: response.status, contentType: response.headers.get('content-type') }).toEqual({
    status,
    contentType: expect.stringContaining('application/problem+json'),
  });
  const body = response.body as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `urn:tandem:problem:${code}`, title: expect.any(String) });
  return body;
}

/**
 * Sends bytes as they are on a new connection (requests that fetch refuses to send: both Content-Length and
 * chunked, broken chunking, oversize headers) and parses the one answer.
 */
export function rawRequest(baseUrl: string, bytes: string): Promise<JsonResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => (chunks.length > 0 ? undefined : reject(error)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = new Headers();
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const bodyText = split === -1 ? '' : text.slice(split + 4);
      let body: unknown = bodyText;
      try {
        body = bodyText.length > 0 ? JSON.parse(bodyText) : undefined;
      } catch {
        // not JSON: keep the text
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(bytes);
    // Half-close is not used: the server must answer what it already has and close the connection itself.
    setTimeout(() => socket.destroy(), 10_000).unref();
  });
}
