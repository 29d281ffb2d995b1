import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The signing algorithm of every key: asymmetric, on AUTH_ALGORITHMS' default allow-list. */
export const SIGNING_ALGORITHM = 'RS256';

export interface SigningKey {
  /** The private JWK, with `kid`, `alg` and `use`. */
  readonly jwk: JWK & { kid: string };
  readonly createdAt: number;
  /** When it began to sign; until then it is only published (a verifier that fetches the JWKS learns it early). */
  readonly activatedAt?: number;
  /** When a newer key took over signing; published until `retiredAt` + the retention. */
  readonly retiredAt?: number;
}

/**
 * The provider's signing keys: the active one signs; a new one is published before it signs (`publish`, then
 * `activate`); a retired one stays published until every token it signed has expired (the retention), so that a
 * verifier never meets a valid token whose key it cannot fetch. Kept in memory, and in
 * `<dataDir>/signing-keys.json` when a data dir is given.
 */
export class SigningKeys {
  private constructor(
    private keys: SigningKey[],
    private readonly retentionMs: number,
    private readonly file: string | undefined,
  ) {}

  static async open(options: { retentionMs: number; dataDir?: string }): Promise<SigningKeys> {
    const file = options.dataDir ? path.join(options.dataDir, 'signing-keys.json') : undefined;
    const ring = new SigningKeys(file ? await readKeys(file) : [], options.retentionMs, file);
    ring.prune(Date.now());
    // Nobody has tokens of a fresh ring's keys yet, and a rotation cut short by a restart may as well finish.
    const pending = ring.keys.find((key) => key.activatedAt === undefined && key.retiredAt === undefined);
    if (pending) await ring.activate(pending.jwk.kid);
    else if (!ring.active) await ring.activate(await ring.publish());
    else await ring.save();
    return ring;
  }

  private get active(): SigningKey | undefined {
    return this.keys.find((key) => key.activatedAt !== undefined && key.retiredAt === undefined);
  }

  /** The private keys to give the provider: the signing one first (oidc-provider signs with the first that fits). */
  get privateJwks(): JWK[] {
    return this.ordered().map((key) => ({ ...key.jwk }));
  }

  get currentKid(): string {
    const active = this.active;
    if (!active) throw new Error('no signing key is active');
    return active.jwk.kid;
  }

  /** Every published `kid`, the signing one first. */
  get kids(): string[] {
    return this.ordered().map((key) => key.jwk.kid);
  }

  /** A new key, published from now on but not signing yet; its `kid`. */
  async publish(now = Date.now()): Promise<string> {
    const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, {
      extractable: true,
      modulusLength: 2048,
    });
    const jwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(jwk);
    this.keys.push({ jwk: { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' }, createdAt: now });
    await this.save();
    return kid;
  }

  /** The published key `kid` signs from now on; the one that signed until now is retired. */
  async activate(kid: string, now = Date.now()): Promise<void> {
    if (!this.keys.some((key) => key.jwk.kid === kid)) throw new Error(`no key ${kid} is published`);
    this.keys = this.keys.map((key) => {
      if (key.jwk.kid === kid) return { ...key, activatedAt: now };
      if (key.activatedAt !== undefined && key.retiredAt === undefined) return { ...key, retiredAt: now };
      return key;
    });
    this.prune(now);
    await this.save();
  }

  /** Drops retired keys past their retention; whether any was dropped. */
  prune(now = Date.now()): boolean {
    const kept = this.keys.filter(
      (key) => key.retiredAt === undefined || now < key.retiredAt + this.retentionMs,
    );
    const dropped = kept.length !== this.keys.length;
    this.keys = kept;
    return dropped;
  }

  /** When the next retired key may be dropped, or `undefined` when none is retired. */
  nextExpiry(): number | undefined {
    const ends = this.keys.flatMap((key) =>
      key.retiredAt === undefined ? [] : [key.retiredAt + this.retentionMs],
    );
    return ends.length === 0 ? undefined : Math.min(...ends);
  }

  async save(): Promise<void> {
    if (!this.file) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(this.keys, null, 2), { mode: 0o600 });
    await rename(temporary, this.file);
  }

  /** Active, then pending (newest first), then retired (most recently retired first). */
  private ordered(): SigningKey[] {
    const rank = (key: SigningKey) =>
      key.retiredAt !== undefined ? 2 : key.activatedAt !== undefined ? 0 : 1;
    const time = (key: SigningKey) => key.retiredAt ?? key.createdAt;
    return [...this.keys].sort((a, b) => rank(a) - rank(b) || time(b) - time(a));
  }
}

async function readKeys(file: string): Promise<SigningKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every(isSigningKey)) {
    throw new Error(`${file} does not hold signing keys: delete it to start with a new key`);
  }
  return parsed;
}

function isSigningKey(value: unknown): value is SigningKey {
  if (typeof value !== 'object' || value === null) return false;
  const { jwk, createdAt } = value as Record<string, unknown>;
  return (
    typeof createdAt === 'number' &&
    typeof jwk === 'object' &&
    jwk !== null &&
    typeof (jwk as Record<string, unknown>)['kid'] === 'string' &&
    typeof (jwk as Record<string, unknown>)['d'] === 'string'
  );
}
