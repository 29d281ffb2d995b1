import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * oidc-provider's storage (interactions, sessions, grants, codes) in this process's memory, owned by one development
 * provider and handed to every Provider it builds: a key rotation builds a new Provider, and logins in progress,
 * sessions and grants carry over to it. Entries expire with the lifetime oidc-provider gives them. A restart
 * loses them all (the signing keys can be kept in a data dir; nothing else needs to be).
 */
export class MemoryStore {
  private readonly entries = new Map<string, Entry>();
  /** Secondary keys (`uid:…`, `userCode:…`) to an entry's key. */
  private readonly index = new Map<string, string>();
  /** The keys of every token issued under a grant, to revoke them together. */
  private readonly grants = new Map<string, Set<string>>();

  readonly adapter: AdapterFactory = (model: string): Adapter => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        const key = keyOf(id);
        const expiresAt = expiresIn === undefined ? Number.POSITIVE_INFINITY : Date.now() + expiresIn * 1000;
        this.entries.set(key, { payload, expiresAt });
        if (payload.uid) this.index.set(`uid:${model}:${payload.uid}`, key);
        if (payload.userCode) this.index.set(`userCode:${model}:${payload.userCode}`, key);
        if (payload.grantId) {
          const members = this.grants.get(payload.grantId) ?? new Set<string>();
          this.grants.set(payload.grantId, members.add(key));
        }
        this.sweep();
      },
      find: async (id) => this.get(keyOf(id)),
      findByUid: async (uid) => this.byIndex(`uid:${model}:${uid}`),
      findByUserCode: async (userCode) => this.byIndex(`userCode:${model}:${userCode}`),
      consume: async (id) => {
        const entry = this.entries.get(keyOf(id));
        if (entry) entry.payload = { ...entry.payload, consumed: Math.floor(Date.now() / 1000) };
      },
      destroy: async (id) => {
        this.entries.delete(keyOf(id));
      },
      revokeByGrantId: async (grantId) => {
        for (const key of this.grants.get(grantId) ?? []) this.entries.delete(key);
        this.grants.delete(grantId);
      },
    };
  };

  private get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  private byIndex(secondary: string): AdapterPayload | undefined {
    const key = this.index.get(secondary);
    return key === undefined ? undefined : this.get(key);
  }

  private sweeps = 0;

  /** Every thousandth write drops what has expired, so that a long `npm start` does not grow without bound. */
  private sweep(): void {
    if (++this.sweeps % 1000 !== 0) return;
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const [secondary, key] of this.index) if (!this.entries.has(key)) this.index.delete(secondary);
    for (const [grantId, members] of this.grants) {
      for (const key of members) if (!this.entries.has(key)) members.delete(key);
      if (members.size === 0) this.grants.delete(grantId);
    }
  }
}
