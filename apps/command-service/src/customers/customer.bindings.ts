import { CUSTOMER_COMMANDS } from '@tandem/contracts';
import type { CustomerCommand, CustomerState } from '@tandem/write/domain';
import type { CommandBindings } from '../commands/command-input';

/**
 * The write-side half of each customer command of libs/contracts (`CUSTOMER_COMMANDS`: route, docs, body, events):
 * the domain command it becomes, built inside the transaction from the request and what the unit loads.
 */
export const CUSTOMER_BINDINGS: CommandBindings<typeof CUSTOMER_COMMANDS, CustomerState, CustomerCommand> = {
  RegisterCustomer: {
    toDomainCommand: async ({ id, body }, _state, { customers }) => ({
      type: 'RegisterCustomer',
      customerId: id,
      ...body,
      emailAlreadyTaken: await customers.isEmailTaken(body.email),
    }),
  },

  ChangeCreditLimit: {
    toDomainCommand: ({ id, body }) => ({
      type: 'ChangeCreditLimit',
      customerId: id,
      creditLimit: body.creditLimit,
    }),
  },
};
