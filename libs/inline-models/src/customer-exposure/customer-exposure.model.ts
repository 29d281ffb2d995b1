import type { ConsumedEvent } from '@tandem/contracts';
import { defineCounterModel, greatest, increment, key, set } from '@tandem/platform/read-model';

/**
 * A customer's open-order exposure: the orders placed and not yet shipped or cancelled, counted and summed, per
 * customer. Kept inline (in the command's write transaction), so that a read right after a command's answer sees
 * it. A draft cancelled was never open, so its cancellation changes nothing. Every change brings the currency (a
 * customer has one), so a row never lacks it, whichever event creates it.
 */
export const customerExposureModel = defineCounterModel<ConsumedEvent>()({
  name: 'customer-exposure',
  table: 'customer_exposure',
  columns: {
    customer_id: key('uuid'),
    currency: set('char(3)', { nullable: false }),
    open_count: increment('int'),
    // A sum over any number of orders: exact as numeric, answered as a decimal string.
    open_total: increment('numeric'),
    updated_at: greatest('timestamptz', { nullable: false }),
  },
  on: {
    OrderPlaced: ({ data }, envelope) => ({
      customer_id: data.customerId,
      currency: data.currency,
      open_count: 1,
      open_total: data.total,
      updated_at: envelope.time,
    }),
    OrderShipped: ({ data }, envelope) => ({
      customer_id: data.customerId,
      currency: data.currency,
      open_count: -1,
      open_total: -data.total,
      updated_at: envelope.time,
    }),
    OrderCancelled: ({ data }, envelope) =>
      data.previousStatus === 'placed'
        ? {
            customer_id: data.customerId,
            currency: data.currency,
            open_count: -1,
            open_total: -data.total,
            updated_at: envelope.time,
          }
        : null,
  },
});
