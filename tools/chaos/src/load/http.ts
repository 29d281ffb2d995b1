/** One HTTP answer: the status and the parsed JSON body (or the text). */
export interface Answer {
  status: number;
  body: unknown;
}

let gateway = '';

/** Where `send` goes: the gateway's base URL (set once the system is up). */
export function useGateway(url: string): void {
  gateway = url.replace(/\/+$/, '');
}

/**
 * Every HTTP call the fault test makes to the system, through the gateway: the commands and reads of the simulated
 * customers and the operator's admin calls. `headers` is the caller's own principal (each simulated customer keeps
 * one object; `Authorization: Bearer …` goes there once the gateway asks for it). Throws on a network error or a
 * timeout; any status is an answer.
 */
export async function send(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Answer> {
  const response = await fetch(`${gateway}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}
