import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { encodeConsistencyToken, type CustomerCommandName } from '@tandem/contracts';
import {
  decideCustomer,
  evolveCustomer,
  type CustomerCommand,
  type CustomerState,
} from '@tandem/write/domain';
import {
  COMMAND_TRANSACTIONS,
  VersionMismatch,
  type CommandAnswer,
  type CommandTransactions,
  type WriteUnit,
} from '@tandem/write/persistence';
import { CUSTOMER_BINDINGS } from './customer.bindings';
import { CustomerCommandMessage } from './customer-command.message';

/**
 * The shell around the state-stored Customer, for every customer command: load the row, check `If-Match`, build
 * the domain command, decide, compute the new row from the events with the domain's evolve, and save row and events
 * together, so the table and what Kafka hears cannot disagree.
 */
@CommandHandler(CustomerCommandMessage)
export class CustomerCommandHandler implements ICommandHandler<CustomerCommandMessage> {
  constructor(@Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions) {}

  execute(message: CustomerCommandMessage): Promise<CommandAnswer> {
    const customerId = message.input.id;
    return this.transactions.run({ ...message.options, aggregateId: customerId }, async (unit) => {
      const state = await unit.customers.load(customerId);
      const { expectedVersion } = message;
      if (state !== null && expectedVersion !== undefined && expectedVersion !== state.version) {
        throw new VersionMismatch(expectedVersion, state.version);
      }
      const events = decideCustomer(await toDomainCommand(message, state, unit), state);
      const next = events.reduce<CustomerState | null>(evolveCustomer, state);
      if (next === null) throw new Error(`customer ${customerId}: a decision produced no customer`);
      await unit.customers.save(state, next, events);
      return {
        outcome: state === null ? 'created' : 'changed',
        body: {
          id: customerId,
          version: next.version,
          consistencyToken: encodeConsistencyToken({
            kind: 'customer',
            streamId: customerId,
            version: next.version,
          }),
        },
      };
    });
  }
}

function toDomainCommand<Name extends CustomerCommandName>(
  message: CustomerCommandMessage<Name>,
  state: CustomerState | null,
  unit: WriteUnit,
): CustomerCommand | Promise<CustomerCommand> {
  return CUSTOMER_BINDINGS[message.name].toDomainCommand(message.input, state, unit);
}
