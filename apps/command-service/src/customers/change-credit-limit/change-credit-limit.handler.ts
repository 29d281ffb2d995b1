import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  COMMAND_TRANSACTIONS,
  type CommandResponse,
  type CommandTransactions,
} from '@tandem/write/persistence';
import { runCustomerCommand } from '../customer-command-runner';
import { ChangeCreditLimitCommand } from './change-credit-limit.command';

@CommandHandler(ChangeCreditLimitCommand)
export class ChangeCreditLimitHandler implements ICommandHandler<ChangeCreditLimitCommand> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute({
    customerId,
    request,
    options,
    expectedVersion,
  }: ChangeCreditLimitCommand): Promise<CommandResponse> {
    return runCustomerCommand(this.transactions, {
      customerId,
      options,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
      command: () => ({ type: 'ChangeCreditLimit', customerId, creditLimit: request.creditLimit }),
    });
  }
}
