import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ConsistencyTracker } from './consistency';
import type { components, paths } from './generated/openapi';
import { withIdempotencyKey, type RetryOptions } from './idempotency';
import { asProblem, TandemProblem } from './problem';
import { watchOrderStream, type OrderSummary, type WatchOrderOptions } from './watch-order';

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
 * `watchOrder` follows an order live (Server-Sent Events) with the same token source and fetch.
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
    this.api.use(jsonCommands);
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

  /**
   * The order's versions as they are committed, live, each once and in order; reconnects by itself with
   * `Last-Event-ID` (see watch-order.ts). Ends on `options.signal`, or with a `TandemProblem` for a 4xx such as 404.
   *
   *     for await (const order of tandem.watchOrder(id, { signal })) render(order);
   */
  watchOrder(orderId: string, options?: WatchOrderOptions): AsyncGenerator<OrderSummary, void, undefined> {
    const readYourWrites = this.options.readYourWrites !== false;
    return watchOrderStream(
      {
        baseUrl: this.options.baseUrl.replace(/\/+$/, ''),
        token: this.options.token ?? (() => undefined),
        fetch: this.options.fetch ?? ((request) => fetch(request)),
        consistencyToken: () => (readYourWrites ? this.consistency.last : undefined),
      },
      orderId,
      options,
    );
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

/**
 * Every command says it is JSON, with a body or without: the API refuses a bodiless POST without it (415), because a
 * POST a browser may send cross-site without a preflight (a CORS "simple" request) must not change anything.
 */
const jsonCommands: Middleware = {
  onRequest: ({ request }) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && !request.headers.has('Content-Type')) {
      request.headers.set('Content-Type', 'application/json');
    }
    return request;
  },
};
