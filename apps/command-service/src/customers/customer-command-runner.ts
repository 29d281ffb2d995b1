import { encodeConsistencyToken } from '@tandem/contracts';
import {
  decideCustomer,
  evolveCustomer,
  type CustomerCommand,
  type CustomerState,
} from '@tandem/write/domain';
import {
  VersionMismatch,
  type CommandOptions,
  type CommandResponse,
  type CommandTransactions,
  type WriteUnit,
} from '@tandem/write/persistence';

export interface CustomerCommandSpec {
  customerId: string;
  options: CommandOptions;
  expectedVersion?: number;
  creates?: boolean;
  command: (state: CustomerState | null, unit: WriteUnit) => Promise<CustomerCommand> | CustomerCommand;
}

/**
 * The shell around the state-stored Customer: load the row, decide, compute the new row from the events with the
 * domain's evolve, and save row and events together, so the table and what Kafka hears cannot disagree.
 */
export function runCustomerCommand(
  transactions: CommandTransactions,
  spec: CustomerCommandSpec,
): Promise<CommandResponse> {
  const { customerId } = spec;
  return transactions.run({ ...spec.options, aggregateId: customerId }, async (unit) => {
    const state = await unit.customers.load(customerId);
    if (state !== null && spec.expectedVersion !== undefined && spec.expectedVersion !== state.version) {
      throw new VersionMismatch(spec.expectedVersion, state.version);
    }
    const events = decideCustomer(await spec.command(state, unit), state);
    const next = events.reduce<CustomerState | null>(evolveCustomer, state);
    if (next === null) throw new Error(`customer ${customerId}: a decision produced no customer`);
    await unit.customers.save(state, next, events);
    return {
      status: spec.creates ? 201 : 200,
      ...(spec.creates ? { location: `/api/customers/${customerId}` } : {}),
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
