import { CUSTOMER_TOPIC, ORDER_TOPIC } from '@tandem/contracts';
import { ProjectionRejectedEvent, type ProjectionContext } from './runtime/projection';
import { consumerGroupOf } from './read-model-projection';
import { PROJECTIONS } from './runtime/projection-catalog';
import { envelopeFor } from './testing/event-messages';

describe('projections derived from the read models', () => {
  it('subscribe to the topics of the events each model reads', () => {
    expect(PROJECTIONS['order-summary'].topics).toEqual([ORDER_TOPIC]);
    expect(PROJECTIONS['customer-orders'].topics).toEqual([CUSTOMER_TOPIC, ORDER_TOPIC]);
    expect(PROJECTIONS['daily-sales'].topics).toEqual([ORDER_TOPIC]);
  });

  it('name their consumer groups after their topics, so that moving to a new topic major takes a new group', () => {
    expect(consumerGroupOf(PROJECTIONS['order-summary'])).toBe('order-summary.order-v2');
    expect(consumerGroupOf(PROJECTIONS['customer-orders'])).toBe('customer-orders.customer-v1.order-v2');
    expect(consumerGroupOf(PROJECTIONS['daily-sales'])).toBe('daily-sales.order-v2');
    expect(consumerGroupOf({ name: 'order-summary', topics: ['orders.order.v1'] })).not.toBe(
      consumerGroupOf(PROJECTIONS['order-summary']),
    );
  });

  it("turn a model's rejection into the runtime's, with its message, on the per-event and the batch path", async () => {
    // A read DB without the order: the model rejects a line for it.
    const context: ProjectionContext = { query: async () => [], table: (name) => name };
    const event = {
      type: 'OrderLineAdded' as const,
      data: {
        orderId: '00000000-0000-4000-8000-000000000001',
        sku: 'A',
        quantity: 1,
        unitPrice: { amount: 1, currency: 'EUR' },
      },
    };
    const projected = { envelope: envelopeFor(event, { streamVersion: 2 }), event };
    const projection = PROJECTIONS['order-summary'];
    const message = `OrderLineAdded for ${event.data.orderId}: no order_summary row to apply it to`;
    await expect(projection.apply(projected, context)).rejects.toEqual(new ProjectionRejectedEvent(message));
    await expect(projection.applyMany?.([projected], context)).rejects.toBeInstanceOf(
      ProjectionRejectedEvent,
    );
  });
});
