import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  COMMAND_TRANSACTIONS,
  type CommandResponse,
  type CommandTransactions,
} from '@tandem/write/persistence';
import { runOrderCommand } from '../order-command-runner';
import { CreateOrderCommand } from './create-order.command';

@CommandHandler(CreateOrderCommand)
export class CreateOrderHandler implements ICommandHandler<CreateOrderCommand> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute({ request, options }: CreateOrderCommand): Promise<CommandResponse> {
    // Chosen once, outside the transaction, so a retried attempt creates the same order.
    const orderId = randomUUID();
    const { customerId } = request;
    return runOrderCommand(this.transactions, {
      orderId,
      options,
      creates: true,
      command: async (_state, { customers }) => ({
        type: 'CreateOrder',
        orderId,
        customerId,
        customer: await customers.load(customerId),
      }),
    });
  }
}
