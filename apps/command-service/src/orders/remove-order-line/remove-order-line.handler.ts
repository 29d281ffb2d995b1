import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  COMMAND_TRANSACTIONS,
  type CommandResponse,
  type CommandTransactions,
} from '@tandem/write/persistence';
import { runOrderCommand } from '../order-command-runner';
import { RemoveOrderLineCommand } from './remove-order-line.command';

@CommandHandler(RemoveOrderLineCommand)
export class RemoveOrderLineHandler implements ICommandHandler<RemoveOrderLineCommand> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute({ orderId, sku, options, expectedVersion }: RemoveOrderLineCommand): Promise<CommandResponse> {
    return runOrderCommand(this.transactions, {
      orderId,
      options,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
      command: () => ({ type: 'RemoveOrderLine', orderId, sku }),
    });
  }
}
