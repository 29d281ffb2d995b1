import { ProblemException } from '@tandem/platform/http';
import { upstreamPath } from './upstream';

describe('upstreamPath', () => {
  it('keeps the path and query string exactly as sent', () => {
    expect(upstreamPath('/api/orders/a%2Fb/lines?x=%20y&z')).toBe('/api/orders/a%2Fb/lines?x=%20y&z');
  });

  it('strips a prefix the upstream does not use', () => {
    expect(upstreamPath('/api/admin/projections?state=stalled', '/api')).toBe(
      '/admin/projections?state=stalled',
    );
  });

  it.each(['/api/orders/..', '/api/orders/./place', '/api/admin/projections/%2e%2E/x', '/api/orders/.%2e/x'])(
    'refuses the dot segment in %s (URL parsing would route it elsewhere)',
    (path) => {
      expect(() => upstreamPath(path)).toThrow(ProblemException);
    },
  );

  it('allows dots inside a segment', () => {
    expect(upstreamPath('/api/orders/1/lines/SKU.v2..x')).toBe('/api/orders/1/lines/SKU.v2..x');
  });
});
