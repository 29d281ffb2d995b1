import { isProblem } from './problem';

/** A fresh `Idempotency-Key`: one per user action, reused for every retry of that action. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

export interface RetryOptions {
  /** The key to use (say, one stored with a form's draft); default a fresh one. */
  key?: string;
  /** Attempts in all, the first included. Default 3. */
  attempts?: number;
  /** The wait before the second attempt, doubled each time after. Default 200 ms. */
  backoffMs?: number;
}

/**
 * Whether an attempt's failure leaves the command's fate unknown or says to try again, so that repeating it with the
 * same key is right: the connection failed, the gateway or a service timed out or was unreachable (408, 502, 503,
 * 504), or the command lost every race for its aggregate (`concurrency.conflict`). Anything else is an answer.
 */
export function isWorthRetrying(error: unknown): boolean {
  if (isProblem(error))
    return [408, 502, 503, 504].includes(error.status) || error.code === 'concurrency.conflict';
  // fetch rejects with a TypeError when the connection fails or is dropped.
  return error instanceof TypeError;
}

/**
 * Runs one command with one `Idempotency-Key` for all its attempts: `send` gets the key's header and sends the
 * command with it. A repeat with the same key and body is answered with the first answer and writes nothing twice,
 * so retrying after a timeout or a dropped connection is safe. After the last failed attempt, the error is thrown:
 * `GET /api/commands/{key}` (the client's `status`) then says what became of the command.
 */
export async function withIdempotencyKey<T>(
  send: (header: { 'Idempotency-Key': string }, key: string) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const key = options.key ?? newIdempotencyKey();
  const attempts = options.attempts ?? 3;
  let wait = options.backoffMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send({ 'Idempotency-Key': key }, key);
    } catch (error) {
      if (attempt >= attempts || !isWorthRetrying(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait *= 2;
    }
  }
}
