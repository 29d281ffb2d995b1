import type { ConsumedEvent } from '@tandem/contracts';
import { defineCounterModel, greatest, increment, key, set, type RowOf } from '@tandem/platform/read-model';

/**
 * One row per customer: registration details from the customer topic, order counts per status and the lifetime
 * value of shipped orders from the order topic. The two topics are not ordered relative to each other, so either
 * may create the row (a row made by order events has no name until the registration arrives); order events only add
 * to the counters and move `updated_at` to the latest time, and the order stream's own checkpoint keeps each order
 * counted once.
 */
export const customerOrdersModel = defineCounterModel<ConsumedEvent>()({
  name: 'customer-orders',
  table: 'customer_orders',
  columns: {
    customer_id: key('uuid'),
    name: set('text'),
    email: set('text'),
    currency: set('char(3)'),
    credit_limit: set('bigint'),
    draft_count: increment('bigint'),
    placed_count: increment('bigint'),
    shipped_count: increment('bigint'),
    cancelled_count: increment('bigint'),
    /** numeric: a customer can ship any number of orders, so the sum has no bound a bigint could hold. */
    lifetime_value: increment('numeric'),
    /** The customer stream's version (ETag, tokens); 0, the migration's default, until the registration. */
    version: set('int', { nullable: false }),
    registered_at: set('timestamptz'),
    updated_at: greatest('timestamptz', { nullable: false }),
    /** The account the record belongs to (`ce_ownersubject`); null for a record staff registered. */
    owner_subject: set('text'),
  },
  on: {
    CustomerRegistered: ({ data }, { streamVersion, time, ownerSubject }) => ({
      customer_id: data.customerId,
      ...(ownerSubject === undefined ? {} : { owner_subject: ownerSubject }),
      name: data.name,
      email: data.email,
      currency: data.currency,
      credit_limit: data.creditLimit,
      version: streamVersion,
      registered_at: time,
      updated_at: time,
    }),
    CustomerCreditLimitChanged: ({ data }, { streamVersion, time }) => ({
      customer_id: data.customerId,
      credit_limit: data.creditLimit,
      version: streamVersion,
      updated_at: time,
    }),
    OrderCreated: ({ data }, { time }) => ({
      customer_id: data.customerId,
      draft_count: 1,
      updated_at: time,
    }),
    OrderPlaced: ({ data }, { time }) => ({
      customer_id: data.customerId,
      draft_count: -1,
      placed_count: 1,
      updated_at: time,
    }),
    OrderShipped: ({ data }, { time }) => ({
      customer_id: data.customerId,
      placed_count: -1,
      shipped_count: 1,
      lifetime_value: data.total,
      updated_at: time,
    }),
    OrderCancelled: ({ data }, { time }) => ({
      customer_id: data.customerId,
      ...(data.previousStatus === 'draft' ? { draft_count: -1 } : { placed_count: -1 }),
      cancelled_count: 1,
      updated_at: time,
    }),
  },
});

/** One customer as the customer dashboard serves it. */
export type CustomerOrdersRow = RowOf<typeof customerOrdersModel.columns>;
