import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  COMMAND_TRANSACTIONS,
  type CommandResponse,
  type CommandTransactions,
} from '@tandem/write/persistence';
import { runOrderCommand } from '../order-command-runner';
import { PlaceOrderCommand } from './place-order.command';

@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute({ orderId, options, expectedVersion }: PlaceOrderCommand): Promise<CommandResponse> {
    return runOrderCommand(this.transactions, {
      orderId,
      options,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
      // The credit limit is read in the same transaction as the order, so the order is placed against the limit
      // as it stands at that moment.
      command: async (state, { customers }) => {
        const customer = state === null ? null : await customers.load(state.customerId);
        return { type: 'PlaceOrder', orderId, customerCreditLimit: customer?.creditLimit ?? 0 };
      },
    });
  }
}
