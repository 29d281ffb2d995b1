import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  COMMAND_TRANSACTIONS,
  type CommandResponse,
  type CommandTransactions,
} from '@tandem/write/persistence';
import { runOrderCommand } from '../order-command-runner';
import { ShipOrderCommand } from './ship-order.command';

@CommandHandler(ShipOrderCommand)
export class ShipOrderHandler implements ICommandHandler<ShipOrderCommand> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute({ orderId, options, expectedVersion }: ShipOrderCommand): Promise<CommandResponse> {
    return runOrderCommand(this.transactions, {
      orderId,
      options,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
      command: () => ({ type: 'ShipOrder', orderId }),
    });
  }
}
