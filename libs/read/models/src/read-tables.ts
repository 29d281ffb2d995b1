import { customerOrdersModel } from './customer-orders/customer-orders.read-model';
import { dailySalesModel } from './daily-sales/daily-sales.read-model';
import { orderSummaryModel } from './order-summary/order-summary.read-model';

/** The read models the projection service keeps from the event topics: one projection each, named after it. */
export const ASYNC_READ_MODELS = [orderSummaryModel, customerOrdersModel, dailySalesModel] as const;

export type AsyncReadModel = (typeof ASYNC_READ_MODELS)[number];
export type ProjectionName = AsyncReadModel['name'];
export const PROJECTION_NAMES: ProjectionName[] = ASYNC_READ_MODELS.map((model) => model.name);

/** Something per async read model, keyed by its name (its projection's). */
export function byProjectionName<T>(of: (model: AsyncReadModel) => T): Record<ProjectionName, T> {
  return Object.fromEntries(ASYNC_READ_MODELS.map((model) => [model.name, of(model)])) as Record<
    ProjectionName,
    T
  >;
}

/** The read-model tables each projection owns; a rebuild fills copies of exactly these and swaps them in. */
export const READ_MODEL_TABLES = byProjectionName((model): readonly string[] => [model.table]);

/** Well-known names: reads ask the projection that owns the model they serve. */
export const ORDER_SUMMARY_PROJECTION = orderSummaryModel.name;
export const CUSTOMER_ORDERS_PROJECTION = customerOrdersModel.name;
export const DAILY_SALES_PROJECTION = dailySalesModel.name;
