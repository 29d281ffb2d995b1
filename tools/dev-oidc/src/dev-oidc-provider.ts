import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { handleInteraction } from './interactions';
import { MemoryStore } from './memory-store';
import { DEV_AUDIENCE } from './dev-provider-contract';
import { providerConfiguration } from './provider-config';
import { SigningKeys } from './signing-keys';

export interface DevOidcOptions {
  /** Port on 127.0.0.1 (default 3004; 0 picks a free one). The issuer is `http://127.0.0.1:<port>`. */
  port?: number;
  /** The address to listen on (default 127.0.0.1; `0.0.0.0` in a container). */
  host?: string;
  /**
   * The issuer URL, when clients reach the provider under another name than 127.0.0.1 (compose: the host's browser
   * and CLI use `http://localhost:3004`, while the services fetch the keys from `http://dev-identity:3004/jwks`).
   */
  issuerUrl?: string;
  /** Keep the signing keys in this directory across restarts (sessions and grants stay in memory). */
  dataDir?: string;
  /** Lifetime of access and ID tokens (default 900 s). */
  accessTokenTtlSeconds?: number;
  /** Where the browser client (`tandem-web`) may be sent back to. */
  webRedirectUris?: string[];
  /**
   * How long a new key is published before it signs (default 2000 ms): longer than a verifier's cooldown between
   * two JWKS fetches (1 s for `AccessTokenVerifier`), so that one which fetched just before the key appeared may
   * fetch again when it meets the first token signed with it.
   */
  keyActivationDelayMs?: number;
  /** How long a retired key stays published (default: the token lifetime + 60 s of clock skew). */
  retiredKeyRetentionMs?: number;
  output?: (line: string) => void;
}

export interface DevOidcProvider {
  /** `http://127.0.0.1:<port>`: AUTH_ISSUER. */
  readonly issuer: string;
  /** AUTH_AUDIENCE. */
  readonly audience: string;
  /** AUTH_JWKS_URL. */
  readonly jwksUrl: string;
  /** The `kid` that signs new tokens. */
  readonly currentKid: string;
  /** Every published `kid`, the signing one first. */
  readonly publishedKids: string[];
  /**
   * Publishes a new key in the JWKS, signs new tokens with it once `keyActivationDelayMs` has passed, and keeps the
   * previous key published until the tokens it signed have expired. Resolves with the new `kid`, once it signs.
   */
  rotateKeys(): Promise<string>;
  stop(): Promise<void>;
}

/** A clock-skew margin on top of the token lifetime before a retired key is withdrawn. */
const RETENTION_MARGIN_MS = 60_000;
const DEFAULT_WEB_REDIRECTS = ['http://localhost:5173/callback', 'http://127.0.0.1:5173/callback'];

/**
 * Starts the development OpenID Provider: oidc-provider (a certified implementation) behind one HTTP listener on
 * 127.0.0.1. oidc-provider takes its keys when it is built, so a key rotation builds a new Provider with the new key
 * ring and swaps it in behind the same listener; interactions, sessions and grants live in one `MemoryStore` that
 * every instance shares, and the cookie keys stay the same, so nobody is logged out and no login in progress fails.
 */
export async function startDevOidcProvider(options: DevOidcOptions = {}): Promise<DevOidcProvider> {
  const output = options.output ?? ((line: string) => process.stdout.write(`${line}\n`));
  const ttl = options.accessTokenTtlSeconds ?? 900;
  const keys = await SigningKeys.open({
    retentionMs: options.retiredKeyRetentionMs ?? ttl * 1000 + RETENTION_MARGIN_MS,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const webRedirectUris = options.webRedirectUris ?? DEFAULT_WEB_REDIRECTS;
  const store = new MemoryStore();
  const activationDelayMs = options.keyActivationDelayMs ?? 2000;

  let provider: Provider | undefined;
  let handler: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  let rotation: Promise<unknown> = Promise.resolve();
  let pruneTimer: NodeJS.Timeout | undefined;

  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => {
      output(`[dev-oidc] ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('internal error');
    });
  });
  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!provider || !handler) {
      response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
      return void response.end('starting');
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const interaction = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(url.pathname);
    if (interaction?.[1]) {
      return handleInteraction(provider, request, response, interaction[1], interaction[2] ?? '');
    }
    if (url.pathname === '/dev/rotate-keys' && request.method === 'POST') {
      const kid = await rotateKeys();
      response.writeHead(200, { 'content-type': 'application/json' });
      return void response.end(JSON.stringify({ kid, published: keys.kids }));
    }
    handler(request, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3004, options.host ?? '127.0.0.1', () => resolve());
  });
  const issuer =
    options.issuerUrl?.replace(/\/+$/, '') ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Builds a Provider over the current key ring and serves it from now on. */
  function build(): void {
    const next = new Provider(
      issuer,
      providerConfiguration({
        keys: keys.privateJwks,
        signingKid: keys.currentKid,
        cookieKeys,
        accessTokenTtlSeconds: ttl,
        webRedirectUris,
        adapter: store.adapter,
      }),
    );
    next.on('server_error', (_ctx, error) => output(`[dev-oidc] server error: ${error.message}`));
    provider = next;
    handler = next.callback();
    schedulePrune();
  }

  /** Withdraws each retired key once its tokens have expired, by building again without it. */
  function schedulePrune(): void {
    if (pruneTimer) clearTimeout(pruneTimer);
    const at = keys.nextExpiry();
    if (at === undefined) return;
    pruneTimer = setTimeout(
      () => {
        rotation = rotation
          .then(async () => {
            if (keys.prune()) {
              await keys.save();
              build();
            } else schedulePrune();
          })
          .catch((error: unknown) => output(`[dev-oidc] withdrawing a retired key failed: ${String(error)}`));
      },
      Math.max(0, at - Date.now()),
    );
    pruneTimer.unref();
  }

  function rotateKeys(): Promise<string> {
    const next = rotation.then(async () => {
      const kid = await keys.publish();
      build();
      await new Promise((resolve) => setTimeout(resolve, activationDelayMs));
      await keys.activate(kid);
      build();
      output(`[dev-oidc] signing key rotated: ${kid} signs; published ${keys.kids.join(', ')}`);
      return kid;
    });
    rotation = next.catch(() => undefined);
    return next;
  }

  try {
    build();
  } catch (error) {
    server.close();
    throw error;
  }
  output(`[dev-oidc] development OpenID Provider on ${issuer} (signing key ${keys.currentKid})`);

  return {
    issuer,
    audience: DEV_AUDIENCE,
    jwksUrl: `${issuer}/jwks`,
    get currentKid() {
      return keys.currentKid;
    },
    get publishedKids() {
      return keys.kids;
    },
    rotateKeys,
    async stop() {
      if (pruneTimer) clearTimeout(pruneTimer);
      await rotation;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
