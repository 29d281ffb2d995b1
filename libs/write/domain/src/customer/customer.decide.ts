import type { CustomerEvent } from '@tandem/contracts';
import { decideChangeCreditLimit } from './commands/change-credit-limit/change-credit-limit.decide';
import { decideRegisterCustomer } from './commands/register-customer/register-customer.decide';
import type { CustomerCommand } from './customer.command';
import type { CustomerState } from './customer.state';

/** One entry point over every customer command: the events to record, or a thrown DomainError. */
export function decideCustomer(command: CustomerCommand, state: CustomerState | null): CustomerEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      return decideRegisterCustomer(command, state);
    case 'ChangeCreditLimit':
      return decideChangeCreditLimit(command, state);
  }
}
