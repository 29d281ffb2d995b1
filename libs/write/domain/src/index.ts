// Tandem's write-side domain: Order and Customer rules as pure decide/evolve functions over plain data.
export { DomainError, type DomainErrorClass } from './errors/domain-error';
export { DOMAIN_ERROR_CODES, type DomainErrorCode, type DomainErrorKind } from './errors/domain-error-codes';
export * from './errors/order.errors';
export * from './errors/customer.errors';

export {
  initialOrderState,
  MAX_ORDER_LINES,
  type OrderLine,
  type OrderState,
  type OrderStatus,
} from './order/order.state';
export { evolveOrder } from './order/order.evolve';
export { decideOrder } from './order/order.decide';
export type { OrderCommand } from './order/order.command';
export type { CreateOrder, OrderCustomer } from './order/commands/create-order/create-order.command';
export { decideCreateOrder } from './order/commands/create-order/create-order.decide';
export type { AddOrderLine } from './order/commands/add-order-line/add-order-line.command';
export { decideAddOrderLine } from './order/commands/add-order-line/add-order-line.decide';
export type { RemoveOrderLine } from './order/commands/remove-order-line/remove-order-line.command';
export { decideRemoveOrderLine } from './order/commands/remove-order-line/remove-order-line.decide';
export type { PlaceOrder } from './order/commands/place-order/place-order.command';
export { decidePlaceOrder } from './order/commands/place-order/place-order.decide';
export type { ShipOrder } from './order/commands/ship-order/ship-order.command';
export { decideShipOrder } from './order/commands/ship-order/ship-order.decide';
export type { CancelOrder } from './order/commands/cancel-order/cancel-order.command';
export { decideCancelOrder } from './order/commands/cancel-order/cancel-order.decide';

export { initialCustomerState, type CustomerState } from './customer/customer.state';
export { evolveCustomer } from './customer/customer.evolve';
export { decideCustomer } from './customer/customer.decide';
export { emailUniquenessKey } from './customer/email';
export type { CustomerCommand } from './customer/customer.command';
export type { RegisterCustomer } from './customer/commands/register-customer/register-customer.command';
export { decideRegisterCustomer } from './customer/commands/register-customer/register-customer.decide';
export type { ChangeCreditLimit } from './customer/commands/change-credit-limit/change-credit-limit.command';
export { decideChangeCreditLimit } from './customer/commands/change-credit-limit/change-credit-limit.decide';
