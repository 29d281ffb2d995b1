import type { CustomerState } from '../../../customer/customer.state';

/** What the order needs to know of its customer. A loaded `CustomerState` fits as it is. */
export type OrderCustomer = Pick<CustomerState, 'customerId' | 'currency'>;

/** Open a draft order for a customer. The handler loads the customer and passes what it found, or `null`. */
export interface CreateOrder {
  readonly type: 'CreateOrder';
  readonly orderId: string;
  readonly customerId: string;
  readonly customer: OrderCustomer | null;
}
