import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideOrder, OrderNotFound, type OrderCommand, type OrderState } from '@tandem/write/domain';
import {
  COMMAND_TRANSACTIONS,
  type CommandAnswer,
  type CommandTransactions,
  type WriteUnit,
} from '@tandem/write/persistence';
import type { OrderCommandName } from '@tandem/contracts';
import type { ConsistencyTokens } from '@tandem/platform/auth';
import {
  CONSISTENCY_TOKENS,
  runAggregateCommand,
  type AggregateStorage,
} from '../commands/aggregate-command';
import { ORDER_BINDINGS } from './order.bindings';
import { OrderCommandMessage } from './order-command.message';

/** The event-sourced Order: its stream is loaded and folded, and the decided events are appended to it. */
const ORDER_STORAGE: AggregateStorage<OrderState, OrderCommand> = {
  kind: 'order',
  load: (unit, id) => unit.orders.load(id),
  versionOf: (state) => state.version,
  // An order belongs to its customer's owner: one indexed row, in the command's transaction.
  ownerOf: async (unit, state) => (await unit.customers.load(state.customerId))?.ownerSubject,
  notFound: (id) => new OrderNotFound(id),
  decideAndWrite: (unit, id, state, command) =>
    unit.orders.append(id, state?.version ?? 0, decideOrder(command, state)),
};

/** Every order command: the shared shell (load, `If-Match`, decide, write) over the Order's stream. */
@CommandHandler(OrderCommandMessage)
export class OrderCommandHandler implements ICommandHandler<OrderCommandMessage> {
  constructor(
    @Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions,
    @Inject(CONSISTENCY_TOKENS) private readonly tokens: ConsistencyTokens,
  ) {}

  execute(message: OrderCommandMessage): Promise<CommandAnswer> {
    return runAggregateCommand(this.transactions, this.tokens, message, ORDER_STORAGE, (state, unit) =>
      toDomainCommand(message, state, unit),
    );
  }
}

/** The binding of the message's command builds its domain command (typed by the command's name). */
function toDomainCommand<Name extends OrderCommandName>(
  message: OrderCommandMessage<Name>,
  state: OrderState | null,
  unit: WriteUnit,
): OrderCommand | Promise<OrderCommand> {
  return ORDER_BINDINGS[message.name].toDomainCommand(message.input, state, unit);
}
