import type { ConsumedEvent } from '@tandem/contracts';
import { defineCounterModel, increment, key, utcDay, type RowOf } from '@tandem/platform/read-model';

/**
 * Per UTC day (of the event's time) and currency: orders placed, shipped and cancelled, counted and totalled. The
 * totals are numeric: a day can hold any number of orders, so no fixed-width integer bounds their sum.
 */
export const dailySalesModel = defineCounterModel<ConsumedEvent>()({
  name: 'daily-sales',
  table: 'daily_sales',
  columns: {
    day: key('date'),
    currency: key('char(3)'),
    placed_count: increment('bigint'),
    placed_total: increment('numeric'),
    shipped_count: increment('bigint'),
    shipped_total: increment('numeric'),
    cancelled_count: increment('bigint'),
    cancelled_total: increment('numeric'),
  },
  on: {
    OrderPlaced: ({ data }, { time }) => ({
      day: utcDay(time),
      currency: data.currency,
      placed_count: 1,
      placed_total: data.total,
    }),
    OrderShipped: ({ data }, { time }) => ({
      day: utcDay(time),
      currency: data.currency,
      shipped_count: 1,
      shipped_total: data.total,
    }),
    OrderCancelled: ({ data }, { time }) => ({
      day: utcDay(time),
      currency: data.currency,
      cancelled_count: 1,
      cancelled_total: data.total,
    }),
  },
});

/** One day and currency of the sales report. */
export type DailySalesDayRow = RowOf<typeof dailySalesModel.columns>;
