import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  COMMAND_TRANSACTIONS,
  type CommandResponse,
  type CommandTransactions,
} from '@tandem/write/persistence';
import { runOrderCommand } from '../order-command-runner';
import { AddOrderLineCommand } from './add-order-line.command';

@CommandHandler(AddOrderLineCommand)
export class AddOrderLineHandler implements ICommandHandler<AddOrderLineCommand> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute({ orderId, request, options, expectedVersion }: AddOrderLineCommand): Promise<CommandResponse> {
    return runOrderCommand(this.transactions, {
      orderId,
      options,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
      command: () => ({ type: 'AddOrderLine', orderId, ...request }),
    });
  }
}
