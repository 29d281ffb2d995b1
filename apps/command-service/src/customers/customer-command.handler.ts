import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  CustomerNotFound,
  decideCustomer,
  evolveCustomer,
  type CustomerCommand,
  type CustomerState,
} from '@tandem/write/domain';
import {
  COMMAND_TRANSACTIONS,
  type CommandAnswer,
  type CommandTransactions,
  type WriteUnit,
} from '@tandem/write/persistence';
import type { CustomerCommandName } from '@tandem/contracts';
import type { ConsistencyTokens } from '@tandem/platform/auth';
import {
  CONSISTENCY_TOKENS,
  runAggregateCommand,
  type AggregateStorage,
} from '../commands/aggregate-command';
import { CUSTOMER_BINDINGS } from './customer.bindings';
import { CustomerCommandMessage } from './customer-command.message';

/**
 * The state-stored Customer: the row is loaded, the new row computed from the decided events with the domain's
 * evolve, and row and events saved together, so the table and what Kafka hears cannot disagree.
 */
const CUSTOMER_STORAGE: AggregateStorage<CustomerState, CustomerCommand> = {
  kind: 'customer',
  load: (unit, id) => unit.customers.load(id),
  versionOf: (state) => state.version,
  ownerOf: async (_unit, state) => state.ownerSubject,
  notFound: (id) => new CustomerNotFound(id),
  decideAndWrite: async (unit, id, state, command) => {
    const events = decideCustomer(command, state);
    const evolved = events.reduce<CustomerState | null>(evolveCustomer, state);
    if (evolved === null) throw new Error(`customer ${id}: a decision produced no customer`);
    // The owner is the record's, not any event's: set once at registration, kept by every later change.
    const owner = command.type === 'RegisterCustomer' ? command.ownerSubject : state?.ownerSubject;
    const next = owner === undefined ? evolved : { ...evolved, ownerSubject: owner };
    await unit.customers.save(state, next, events);
    return next.version;
  },
};

/** Every customer command: the shared shell (load, `If-Match`, decide, write) over the Customer's row. */
@CommandHandler(CustomerCommandMessage)
export class CustomerCommandHandler implements ICommandHandler<CustomerCommandMessage> {
  constructor(
    @Inject(COMMAND_TRANSACTIONS) private readonly transactions: CommandTransactions,
    @Inject(CONSISTENCY_TOKENS) private readonly tokens: ConsistencyTokens,
  ) {}

  execute(message: CustomerCommandMessage): Promise<CommandAnswer> {
    return runAggregateCommand(this.transactions, this.tokens, message, CUSTOMER_STORAGE, (state, unit) =>
      toDomainCommand(message, state, unit),
    );
  }
}

/** The binding of the message's command builds its domain command (typed by the command's name). */
function toDomainCommand<Name extends CustomerCommandName>(
  message: CustomerCommandMessage<Name>,
  state: CustomerState | null,
  unit: WriteUnit,
): CustomerCommand | Promise<CustomerCommand> {
  return CUSTOMER_BINDINGS[message.name].toDomainCommand(message.input, state, unit);
}
