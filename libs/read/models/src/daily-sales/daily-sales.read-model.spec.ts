import type { TandemEvent } from '@tandem/contracts';
import { changesOf } from '@tandem/platform/read-model';
import { dailySalesModel } from './daily-sales.read-model';

const ORDER = '00000000-0000-4000-8000-000000000001';
const money = {
  orderId: ORDER,
  customerId: '00000000-0000-4000-8000-000000000002',
  total: 300,
  currency: 'JPY',
};

/** The one change an event declares (each of this model's events changes one row). */
function one<T>(changes: readonly T[]): T | undefined {
  expect(changes).toHaveLength(1);
  return changes[0];
}

/** The changes the model's change table declares for one event at a time. */
const changes = (event: TandemEvent, time: string) =>
  one(
    changesOf(dailySalesModel, {
      envelope: {
        id: 'e',
        type: event.type,
        source: 'test',
        subject: ORDER,
        time,
        streamVersion: 1,
        correlationId: 'c',
        causationId: 'c',
      },
      event,
    }),
  );

describe('daily sales', () => {
  it('counts and totals placements, shipments and cancellations on the UTC day of the event and its currency', () => {
    expect(changes({ type: 'OrderPlaced', data: money }, '2026-11-28T23:30:00.000Z')).toEqual({
      day: '2026-11-28',
      currency: 'JPY',
      placed_count: 1,
      placed_total: 300,
    });
    // 00:30 at +01:00 is still the 28th in UTC.
    expect(changes({ type: 'OrderShipped', data: money }, '2026-11-29T00:30:00+01:00')).toEqual({
      day: '2026-11-28',
      currency: 'JPY',
      shipped_count: 1,
      shipped_total: 300,
    });
    expect(
      changes(
        { type: 'OrderCancelled', data: { ...money, reason: 'r', previousStatus: 'draft' } },
        '2026-11-29T00:00:00.000001Z',
      ),
    ).toEqual({ day: '2026-11-29', currency: 'JPY', cancelled_count: 1, cancelled_total: 300 });
  });

  it('counts nothing for an order that is created or changes its lines', () => {
    expect(Object.keys(dailySalesModel.on).sort()).toEqual(['OrderCancelled', 'OrderPlaced', 'OrderShipped']);
  });
});
