import type { OrderState } from '@tandem/write/domain';
import { OrderStateCache } from './order-state-cache';

const at = (orderId: string, version: number): { state: OrderState; types: string[] } => ({
  state: { orderId, customerId: 'c', currency: 'EUR', status: 'draft', lines: [], total: 0, version },
  types: Array.from({ length: version }, (_, i) => (i === 0 ? 'OrderCreated' : 'OrderLineAdded')),
});

describe('OrderStateCache', () => {
  it('drops the least recently used order first, a read counting as a use', () => {
    const cache = new OrderStateCache(2);
    cache.set('a', at('a', 1));
    cache.set('b', at('b', 1));
    expect(cache.get('a')?.state.version).toBe(1);
    cache.set('c', at('c', 1));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('never goes back to an older version of an order (two transactions loading it at once)', () => {
    const cache = new OrderStateCache(10);
    cache.set('a', at('a', 5));
    cache.set('a', at('a', 3));
    expect(cache.get('a')?.state.version).toBe(5);
    cache.set('a', at('a', 6));
    expect(cache.get('a')?.state.version).toBe(6);
  });

  it('keeps nothing when its size is 0, and refuses a size that is no count', () => {
    const off = new OrderStateCache(0);
    off.set('a', at('a', 1));
    expect(off.get('a')).toBeUndefined();
    expect(() => new OrderStateCache(-1)).toThrow('maxOrders must be an integer ≥ 0, got -1');
    expect(() => new OrderStateCache(1.5)).toThrow('maxOrders must be an integer ≥ 0, got 1.5');
  });
});
