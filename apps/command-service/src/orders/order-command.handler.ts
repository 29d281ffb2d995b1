import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { encodeConsistencyToken, type OrderCommandName } from '@tandem/contracts';
import { decideOrder, type OrderCommand, type OrderState } from '@tandem/write/domain';
import {
  COMMAND_TRANSACTIONS,
  VersionMismatch,
  type CommandAnswer,
  type CommandTransactions,
  type WriteUnit,
} from '@tandem/write/persistence';
import { ORDER_BINDINGS } from './order.bindings';
import { OrderCommandMessage } from './order-command.message';

/**
 * The thin shell around the event-sourced Order, for every order command: load its stream, check `If-Match`,
 * build the domain command, decide, append. It runs inside the transaction runner, which re-runs all of it on fresh
 * state when another writer appended first, so a rule is always judged against the version it is appended after.
 */
@CommandHandler(OrderCommandMessage)
export class OrderCommandHandler implements ICommandHandler<OrderCommandMessage> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute(message: OrderCommandMessage): Promise<CommandAnswer> {
    const orderId = message.input.id;
    return this.transactions.run({ ...message.options, aggregateId: orderId }, async (unit) => {
      const state = await unit.orders.load(orderId);
      const { expectedVersion } = message;
      if (state !== null && expectedVersion !== undefined && expectedVersion !== state.version) {
        throw new VersionMismatch(expectedVersion, state.version);
      }
      const events = decideOrder(await toDomainCommand(message, state, unit), state);
      const version = await unit.orders.append(orderId, state?.version ?? 0, events);
      return {
        outcome: state === null ? 'created' : 'changed',
        body: {
          id: orderId,
          version,
          consistencyToken: encodeConsistencyToken({ kind: 'order', streamId: orderId, version }),
        },
      };
    });
  }
}

function toDomainCommand<Name extends OrderCommandName>(
  message: OrderCommandMessage<Name>,
  state: OrderState | null,
  unit: WriteUnit,
): OrderCommand | Promise<OrderCommand> {
  return ORDER_BINDINGS[message.name].toDomainCommand(message.input, state, unit);
}
