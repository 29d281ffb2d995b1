import type { ProjectionName } from '@tandem/read/models';
import { customerOrdersProjection } from '../customer-orders/customer-orders.projection';
import { dailySalesProjection } from '../daily-sales/daily-sales.projection';
import { orderSummaryProjection } from '../order-summary/order-summary.projection';
import type { Projection } from './projection';

/** Every projection the projection service runs, by name. */
export const PROJECTIONS: Record<ProjectionName, Projection> = {
  'order-summary': orderSummaryProjection,
  'customer-orders': customerOrdersProjection,
  'daily-sales': dailySalesProjection,
};
