import { partitionOf, partitionsOf } from './partition-locks';

const message = (topic: string, partition: number) => ({
  topic,
  partition,
  offset: '0',
  key: 'k',
  value: null,
  headers: {},
});

describe('partition locks', () => {
  it('lock orders.order.v2 under orders.order.v1, whose partitions hold the same keys, prefix and all', () => {
    expect(partitionOf(message('test.x.orders.order.v2', 2))).toBe('test.x.orders.order.v1:2');
    expect(partitionOf(message('orders.order.v2', 0))).toBe(partitionOf(message('orders.order.v1', 0)));
    expect(partitionsOf([message('orders.order.v1', 1), message('orders.order.v2', 1)])).toEqual([
      'orders.order.v1:1',
    ]);
  });

  it('keep every other topic and partition apart', () => {
    expect(partitionOf(message('orders.customer.v1', 0))).toBe('orders.customer.v1:0');
    expect(partitionOf(message('orders.order.v2', 1))).not.toBe(partitionOf(message('orders.order.v2', 2)));
  });
});
