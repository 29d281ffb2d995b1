import { encodeConsistencyToken } from '@tandem/contracts';
import { ConsistencyTokens } from './consistency-tokens';

const tokens = new ConsistencyTokens('a-test-secret-of-some-length');
const token = { kind: 'order' as const, streamId: '6f1c1a51-7a45-4d8e-9a0e-1d2b3c4d5e6f', version: 3 };

describe('ConsistencyTokens', () => {
  it('reads back what it issued to the same subject', () => {
    expect(tokens.read(tokens.issue(token, 'alice'), 'alice')).toEqual(token);
  });

  it("refuses another subject's token", () => {
    expect(tokens.read(tokens.issue(token, 'alice'), 'bob')).toEqual({
      error: expect.stringContaining('caller'),
    });
  });

  it('refuses an unsigned token, a changed version and another secret', () => {
    expect(tokens.read(encodeConsistencyToken(token), 'alice')).toHaveProperty('error');
    const [, mac] = tokens.issue(token, 'alice').split('.');
    expect(
      tokens.read(`${encodeConsistencyToken({ ...token, version: 99 })}.${mac}`, 'alice'),
    ).toHaveProperty('error');
    expect(
      new ConsistencyTokens('another-secret-of-some-length').read(tokens.issue(token, 'alice'), 'alice'),
    ).toHaveProperty('error');
  });
});
