import { Query } from '@nestjs/cqrs';
import type { CustomerView } from '../customer.view';

export class GetCustomerQuery extends Query<CustomerView> {
  constructor(
    readonly customerId: string,
    /** Only if it belongs to this account (`ownerScope`). */
    readonly owner?: string,
  ) {
    super();
  }
}
