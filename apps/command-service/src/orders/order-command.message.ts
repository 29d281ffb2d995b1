import { Command } from '@nestjs/cqrs';
import type { ORDER_COMMANDS, OrderCommandName } from '@tandem/contracts';
import type { CommandAnswer, CommandOptions } from '@tandem/write/persistence';
import type { CommandInput } from '../commands/command-input';

/**
 * What an order route puts on the CommandBus: the command's name and its checked request. Not the domain's
 * `OrderCommand`, which the handler builds from it inside the transaction (order.bindings.ts).
 */
export class OrderCommandMessage<
  Name extends OrderCommandName = OrderCommandName,
> extends Command<CommandAnswer> {
  constructor(
    readonly name: Name,
    readonly input: CommandInput<(typeof ORDER_COMMANDS)[Name]>,
    readonly options: CommandOptions,
    /** The client's `If-Match`, if any. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
