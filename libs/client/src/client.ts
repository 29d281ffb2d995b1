import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ConsistencyTracker } from './consistency';
import type { components, paths } from './generated/openapi';
import { withIdempotencyKey, type RetryOptions } from './idempotency';
import { asProblem, TandemProblem } from './problem';

/** The current access token, or undefined to send none (a token provider refreshes it as it needs to). */
export type TokenSource = () => string | undefined | Promise<string | undefined>;

export interface TandemClientOptions {
  /** The gateway's origin, e.g. `http://localhost:3000` (paths start with `/api`). */
  baseUrl: string;
  /** Called before every request: its token goes in `Authorization: Bearer …`. */
  token?: TokenSource;
  /** Send the last command's consistency token on the next reads (default true). */
  readYourWrites?: boolean;
  /** A fetch of your own (tests, instrumentation); default the global one. */
  fetch?: (request: Request) => Promise<Response>;
}

export type CommandStatus = components['schemas']['CommandStatus'];

/** What a call through `api` resolves to: the typed body, or a problem. */
interface Answered<Data> {
  data?: Data;
  error?: unknown;
  response: Response;
}

/**
 * A typed client of the Tandem API: `api` is an openapi-fetch client over the paths and bodies of the gateway's
 * OpenAPI document (generated: libs/client/src/generated/openapi.ts), with the caller's bearer token and its
 * consistency token added to every request. `send` and `command` turn a problem answer into a `TandemProblem`.
 *
 * The options, the fetch and the token source are kept on the instance so that further ways of calling the API
 * (a `watchOrder` over Server-Sent Events) can be added beside `api` with the same authentication.
 */
export class TandemClient {
  readonly api: Client<paths>;
  readonly consistency = new ConsistencyTracker();

  constructor(readonly options: TandemClientOptions) {
    this.api = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.api.use(bearerToken(options.token));
    if (options.readYourWrites !== false) this.api.use(this.consistency.middleware());
  }

  /** The body of a successful call, or a `TandemProblem` thrown for a problem answer. */
  async send<Data>(call: Promise<Answered<Data>>): Promise<Data> {
    const { data, error, response } = await call;
    if (response.ok) return data as Data;
    const problem = asProblem(error);
    if (problem) throw new TandemProblem(problem, response);
    throw new Error(`${response.status} ${response.statusText} from ${response.url} (not a problem body)`);
  }

  /**
   * A command, sent with one `Idempotency-Key` for all its attempts and retried after a timeout, a dropped
   * connection or a 502/503/504 (see `withIdempotencyKey`): `send` gets the header to pass as `params.header`.
   *
   *     const order = await tandem.command((header) =>
   *       tandem.api.POST('/api/orders', { params: { header }, body: { customerId } }));
   */
  command<Data>(
    send: (header: { 'Idempotency-Key': string }, key: string) => Promise<Answered<Data>>,
    options?: RetryOptions,
  ): Promise<Data> {
    return withIdempotencyKey((header, key) => this.send(send(header, key)), options);
  }

  /** What became of a command sent with `key` (`GET /api/commands/{idempotencyKey}`); 404 if it was not recorded. */
  status(key: string): Promise<CommandStatus> {
    return this.send(
      this.api.GET('/api/commands/{idempotencyKey}', { params: { path: { idempotencyKey: key } } }),
    );
  }
}

export function createTandemClient(options: TandemClientOptions): TandemClient {
  return new TandemClient(options);
}

function bearerToken(token: TokenSource | undefined): Middleware {
  return {
    onRequest: async ({ request }) => {
      const value = await token?.();
      if (value && !request.headers.has('Authorization'))
        request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}
