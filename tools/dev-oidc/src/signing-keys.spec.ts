import { authenticate } from './demo-users';
import { SigningKeys } from './signing-keys';

describe('SigningKeys', () => {
  it('given a fresh ring, when a key is published, then it is listed after the signing key until activated', async () => {
    const keys = await SigningKeys.open({ retentionMs: 1000 });
    const first = keys.currentKid;
    const next = await keys.publish(10);
    expect(keys.kids).toEqual([first, next]);
    expect(keys.currentKid).toBe(first);

    await keys.activate(next, 20);
    expect(keys.currentKid).toBe(next);
    expect(keys.kids).toEqual([next, first]);
    expect(keys.privateJwks.map((jwk) => jwk.kid)).toEqual([next, first]);
    expect(keys.privateJwks.every((jwk) => typeof jwk.d === 'string' && jwk.alg === 'RS256')).toBe(true);
  });

  it('keeps a retired key for its retention, then drops it', async () => {
    const keys = await SigningKeys.open({ retentionMs: 1000 });
    const first = keys.currentKid;
    const second = await keys.publish(0);
    await keys.activate(second, 5000);
    expect(keys.nextExpiry()).toBe(6000);
    expect(keys.prune(5999)).toBe(false);
    expect(keys.kids).toEqual([second, first]);
    expect(keys.prune(6000)).toBe(true);
    expect(keys.kids).toEqual([second]);
    expect(keys.nextExpiry()).toBeUndefined();
  });

  it('lists retired keys most recently retired first', async () => {
    const keys = await SigningKeys.open({ retentionMs: 60_000 });
    const a = keys.currentKid;
    const b = await keys.publish(1);
    await keys.activate(b, 2);
    const c = await keys.publish(3);
    await keys.activate(c, 4);
    expect(keys.kids).toEqual([c, b, a]);
  });

  it('refuses to activate a key it has not published', async () => {
    const keys = await SigningKeys.open({ retentionMs: 1000 });
    await expect(keys.activate('unknown')).rejects.toThrow('no key unknown');
  });
});

describe('authenticate', () => {
  it('knows the demo users by their passwords, and nobody else', () => {
    expect(authenticate('customer1', 'customer1-password')?.roles).toEqual(['customer']);
    expect(authenticate('admin1', 'admin1-password')?.roles).toEqual(['admin']);
    expect(authenticate('customer1', 'customer2-password')).toBeUndefined();
    expect(authenticate('customer1', '')).toBeUndefined();
    expect(authenticate('root', 'customer1-password')).toBeUndefined();
  });
});
