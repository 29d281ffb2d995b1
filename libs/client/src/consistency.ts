import type { Middleware } from 'openapi-fetch';

/** The header a read sends to wait for a write (the command's `consistencyToken`). */
export const CONSISTENCY_TOKEN_HEADER = 'X-Consistency-Token';

/**
 * Read-your-writes for one user: remembers the `consistencyToken` of the last command answered (or of the last
 * command status that carried one) and sends it on the next reads, so that they wait until the read side has
 * applied that write. A read that names its own token keeps it. `clear()` forgets it (e.g. at sign-out).
 */
export class ConsistencyTracker {
  private token: string | undefined;

  get last(): string | undefined {
    return this.token;
  }

  remember(token: string): void {
    this.token = token;
  }

  clear(): void {
    this.token = undefined;
  }

  /** The middleware that does both: reads `consistencyToken` from command answers, sends it on GETs. */
  middleware(): Middleware {
    return {
      onRequest: ({ request }) => {
        if (
          request.method === 'GET' &&
          this.token !== undefined &&
          !request.headers.has(CONSISTENCY_TOKEN_HEADER)
        ) {
          request.headers.set(CONSISTENCY_TOKEN_HEADER, this.token);
        }
        return request;
      },
      onResponse: async ({ request, response }) => {
        if (!response.ok || !response.headers.get('content-type')?.startsWith('application/json'))
          return response;
        const isCommand = request.method !== 'GET';
        const isStatus = request.method === 'GET' && new URL(request.url).pathname.includes('/api/commands/');
        if (!isCommand && !isStatus) return response;
        const token = tokenIn(await response.clone().json(), isStatus);
        if (token !== undefined) this.remember(token);
        return response;
      },
    };
  }
}

function tokenIn(body: unknown, inAnswer: boolean): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const holder = inAnswer ? (body as { answer?: unknown }).answer : body;
  if (typeof holder !== 'object' || holder === null) return undefined;
  const token = (holder as { consistencyToken?: unknown }).consistencyToken;
  return typeof token === 'string' ? token : undefined;
}
