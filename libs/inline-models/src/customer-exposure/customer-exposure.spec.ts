import type { EventEnvelope, TandemEvent } from '@tandem/contracts';
import { handledTypes } from '@tandem/platform/read-model';
import { customerExposureModel } from './customer-exposure.model';

const customerId = '00000000-0000-4000-8000-0000000000c1';
const orderId = '00000000-0000-4000-8000-0000000000a1';
const envelope = (time: string): EventEnvelope => ({
  id: '00000000-0000-4000-8000-0000000000e1',
  type: 'test',
  source: 'test',
  subject: orderId,
  time,
  streamVersion: 3,
  correlationId: 'c',
  causationId: 'c',
});

/** The changes the model's table declares for one event (null: none), as `applyReadModel` would take them. */
function changesOf(event: TandemEvent, time = '2026-12-01T10:00:00.000Z'): unknown {
  const on = customerExposureModel.on as Record<
    string,
    ((e: TandemEvent, env: EventEnvelope) => unknown) | undefined
  >;
  return on[event.type]?.(event, envelope(time)) ?? null;
}

const money = { customerId, orderId, total: 1250, currency: 'EUR' };

describe('customer exposure: open (placed, not shipped or cancelled) orders per customer', () => {
  it('reads only the events that open or close an order', () => {
    expect([...handledTypes(customerExposureModel)].sort()).toEqual([
      'OrderCancelled',
      'OrderPlaced',
      'OrderShipped',
    ]);
  });

  it('given an order placed, then it opens: one more, its total added, in the customer currency', () => {
    expect(changesOf({ type: 'OrderPlaced', data: money })).toEqual({
      customer_id: customerId,
      currency: 'EUR',
      open_count: 1,
      open_total: 1250,
      updated_at: '2026-12-01T10:00:00.000Z',
    });
  });

  it('given an order shipped, or cancelled after it was placed, then it closes: one less, its total taken off', () => {
    const closed = {
      customer_id: customerId,
      currency: 'EUR',
      open_count: -1,
      open_total: -1250,
      updated_at: '2026-12-01T10:00:00.000Z',
    };
    expect(changesOf({ type: 'OrderShipped', data: money })).toEqual(closed);
    expect(
      changesOf({ type: 'OrderCancelled', data: { ...money, reason: 'r', previousStatus: 'placed' } }),
    ).toEqual(closed);
  });

  it('given a draft cancelled, then nothing changes: it was never open', () => {
    expect(
      changesOf({ type: 'OrderCancelled', data: { ...money, reason: 'r', previousStatus: 'draft' } }),
    ).toBeNull();
    expect(changesOf({ type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } })).toBeNull();
  });
});
