import { Command } from '@nestjs/cqrs';
import type { CUSTOMER_COMMANDS, CustomerCommandName } from '@tandem/contracts';
import type { CommandAnswer, CommandOptions } from '@tandem/write/persistence';
import type { CommandInput } from '../commands/command-input';

/**
 * What a customer route puts on the CommandBus: the command's name and its checked request. Not the domain's
 * `CustomerCommand`, which the handler builds from it inside the transaction (customer.bindings.ts).
 */
export class CustomerCommandMessage<
  Name extends CustomerCommandName = CustomerCommandName,
> extends Command<CommandAnswer> {
  constructor(
    readonly name: Name,
    readonly input: CommandInput<(typeof CUSTOMER_COMMANDS)[Name]>,
    readonly options: CommandOptions,
    /** The client's `If-Match`, if any. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
