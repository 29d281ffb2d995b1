import type { CustomerEvent } from '@tandem/contracts';
import type { CustomerState } from './customer.state';

/**
 * Applies one event to the customer. The state-stored handler uses it to compute the row it writes together with
 * the outbox event, so the row and the published event cannot disagree.
 */
export function evolveCustomer(state: CustomerState | null, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered': {
      if (state !== null) {
        throw new Error(`Cannot apply CustomerRegistered: customer ${state.customerId} already exists.`);
      }
      return { ...event.data, version: 1 };
    }
    case 'CustomerCreditLimitChanged': {
      if (state === null) {
        throw new Error(
          `Cannot apply CustomerCreditLimitChanged: customer ${event.data.customerId} does not exist.`,
        );
      }
      return { ...state, creditLimit: event.data.creditLimit, version: state.version + 1 };
    }
  }
}
