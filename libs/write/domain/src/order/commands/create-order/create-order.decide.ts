import type { OrderEvent } from '@tandem/contracts';
import { CustomerNotFound } from '../../../errors/customer.errors';
import { OrderAlreadyExists } from '../../../errors/order.errors';
import type { OrderState } from '../../order.state';
import type { CreateOrder } from './create-order.command';

export function decideCreateOrder(command: CreateOrder, state: OrderState | null): OrderEvent[] {
  const { orderId, customerId, customer } = command;
  if (state !== null) throw new OrderAlreadyExists(orderId);
  if (customer === null) throw new CustomerNotFound(customerId);
  if (customer.customerId !== customerId) {
    // The handler loaded someone else: a bug upstream, not a rule a client can break.
    throw new Error(`CreateOrder for customer ${customerId} was given customer ${customer.customerId}`);
  }
  // The order takes the customer's currency now; a customer's currency never changes afterwards.
  return [{ type: 'OrderCreated', data: { orderId, customerId, currency: customer.currency } }];
}
