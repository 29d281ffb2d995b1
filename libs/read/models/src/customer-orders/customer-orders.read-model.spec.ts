import type { TandemEvent } from '@tandem/contracts';
import { changesOf } from '@tandem/platform/read-model';
import { customerOrdersModel } from './customer-orders.read-model';

const CUSTOMER = '00000000-0000-4000-8000-000000000002';
const ORDER = '00000000-0000-4000-8000-000000000001';
const TIME = '2026-11-28T10:00:00.000Z';

/** The one change an event declares (each of this model's events changes one row). */
function one<T>(changes: readonly T[]): T | undefined {
  expect(changes).toHaveLength(1);
  return changes[0];
}

/** The changes the model's change table declares for one event (of stream version `streamVersion`). */
const changes = (event: TandemEvent, streamVersion = 1) =>
  one(
    changesOf(customerOrdersModel, {
      envelope: {
        id: 'e',
        type: event.type,
        source: 'test',
        subject: event.type.startsWith('Customer') ? CUSTOMER : ORDER,
        time: TIME,
        streamVersion,
        correlationId: 'c',
        causationId: 'c',
      },
      event,
    }),
  );

const money = { orderId: ORDER, customerId: CUSTOMER, total: 300, currency: 'EUR' };

describe('customer orders', () => {
  it('takes the registration and credit limit changes from the customer stream, with its version', () => {
    expect(
      changes({
        type: 'CustomerRegistered',
        data: {
          customerId: CUSTOMER,
          name: 'Ada',
          email: 'ada@example.com',
          currency: 'EUR',
          creditLimit: 1000,
        },
      }),
    ).toEqual({
      customer_id: CUSTOMER,
      name: 'Ada',
      email: 'ada@example.com',
      currency: 'EUR',
      credit_limit: 1000,
      version: 1,
      registered_at: TIME,
      updated_at: TIME,
    });
    expect(
      changes(
        {
          type: 'CustomerCreditLimitChanged',
          data: { customerId: CUSTOMER, creditLimit: 2000, previousCreditLimit: 1000 },
        },
        2,
      ),
    ).toEqual({ customer_id: CUSTOMER, credit_limit: 2000, version: 2, updated_at: TIME });
  });

  it('moves each order from one status count to the next; a shipment adds its total to the lifetime value', () => {
    expect(
      changes({ type: 'OrderCreated', data: { orderId: ORDER, customerId: CUSTOMER, currency: 'EUR' } }),
    ).toEqual({ customer_id: CUSTOMER, draft_count: 1, updated_at: TIME });
    expect(changes({ type: 'OrderPlaced', data: money })).toEqual({
      customer_id: CUSTOMER,
      draft_count: -1,
      placed_count: 1,
      updated_at: TIME,
    });
    expect(changes({ type: 'OrderShipped', data: money })).toEqual({
      customer_id: CUSTOMER,
      placed_count: -1,
      shipped_count: 1,
      lifetime_value: 300,
      updated_at: TIME,
    });
  });

  it('takes a cancelled order off the count of the status it was cancelled from', () => {
    for (const previousStatus of ['draft', 'placed'] as const) {
      expect(changes({ type: 'OrderCancelled', data: { ...money, reason: 'r', previousStatus } })).toEqual({
        customer_id: CUSTOMER,
        [`${previousStatus}_count`]: -1,
        cancelled_count: 1,
        updated_at: TIME,
      });
    }
  });

  it('ignores line changes: they move no count', () => {
    expect(Object.keys(customerOrdersModel.on)).not.toContain('OrderLineAdded');
    expect(Object.keys(customerOrdersModel.on)).not.toContain('OrderLineRemoved');
  });
});
