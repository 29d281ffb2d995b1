import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  COMMAND_TRANSACTIONS,
  type CommandResponse,
  type CommandTransactions,
} from '@tandem/write/persistence';
import { runOrderCommand } from '../order-command-runner';
import { CancelOrderCommand } from './cancel-order.command';

@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute({ orderId, request, options, expectedVersion }: CancelOrderCommand): Promise<CommandResponse> {
    return runOrderCommand(this.transactions, {
      orderId,
      options,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
      command: () => ({ type: 'CancelOrder', orderId, reason: request.reason }),
    });
  }
}
