/** One HTTP answer: the status and the parsed JSON body (or the text). */
export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Who sends a request: a demo user of the stack's development OpenID Provider, whose access token goes in
 * `Authorization: Bearer …` (the gateway and every service refuse a request without one).
 */
export interface Caller {
  user: string;
}

/** Every command of the load, shipping included, which only staff may send; and the reads. */
export const STAFF: Caller = { user: 'staff1' };
/** The operator of the admin routes (projection status, rebuilds): `admin` only. */
export const OPERATOR: Caller = { user: 'admin1' };

let gateway = '';
let tokenFor: (user: string) => Promise<string> = () =>
  Promise.reject(new Error('useGateway was not called: no OpenID Provider to get a token from'));

/**
 * Where `send` goes: the gateway's base URL (set once the system is up), and where its tokens come from (the stack's
 * provider, `Stack.tokenFor`: cached per user and renewed a minute before they expire).
 */
export function useGateway(url: string, tokens: (user: string) => Promise<string>): void {
  gateway = url.replace(/\/+$/, '');
  tokenFor = tokens;
}

/**
 * Every HTTP call the fault test makes to the system, through the gateway: the commands and reads of the simulated
 * customers and the operator's admin calls, each with its caller's bearer token. A POST always says JSON, with a
 * body or without (the services refuse a bodiless one that does not: 415). Throws on a network error or a timeout;
 * any status is an answer.
 */
export async function send(
  method: string,
  path: string,
  body: unknown,
  caller: Caller,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const json = body !== undefined || method === 'POST';
  const response = await fetch(`${gateway}${path}`, {
    method,
    headers: {
      ...(json ? { 'content-type': 'application/json' } : {}),
      authorization: `Bearer ${await tokenFor(caller.user)}`,
      ...headers,
    },
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
