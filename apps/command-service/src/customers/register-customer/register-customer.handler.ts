import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  COMMAND_TRANSACTIONS,
  type CommandResponse,
  type CommandTransactions,
} from '@tandem/write/persistence';
import { runCustomerCommand } from '../customer-command-runner';
import { RegisterCustomerCommand } from './register-customer.command';

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute({ request, options }: RegisterCustomerCommand): Promise<CommandResponse> {
    // Chosen once, outside the transaction, so a retried attempt registers the same id.
    const customerId = randomUUID();
    return runCustomerCommand(this.transactions, {
      customerId,
      options,
      creates: true,
      command: async (_state, { customers }) => ({
        type: 'RegisterCustomer',
        customerId,
        ...request,
        emailAlreadyTaken: await customers.isEmailTaken(request.email),
      }),
    });
  }
}
