import { encodeConsistencyToken } from '@tandem/contracts';
import {
  VersionMismatch,
  type CommandAnswer,
  type CommandOptions,
  type CommandTransactions,
  type WriteUnit,
} from '@tandem/write/persistence';

/** How one aggregate is loaded and written: all that differs between an event-sourced and a state-stored one. */
export interface AggregateStorage<State, DomainCommand> {
  /** The consistency token's kind, which says which read model to wait on. */
  readonly kind: 'order' | 'customer';
  load(unit: WriteUnit, id: string): Promise<State | null>;
  versionOf(state: State): number;
  /** Decides the command against the state and writes what it decided; returns the aggregate's new version. */
  decideAndWrite(unit: WriteUnit, id: string, state: State | null, command: DomainCommand): Promise<number>;
}

/** What a route puts on the CommandBus, as far as the shell needs it. */
export interface AggregateCommandMessage {
  readonly input: { readonly id: string };
  readonly options: CommandOptions;
  /** The client's `If-Match`, if any. */
  readonly expectedVersion?: number;
}

/**
 * The shell around every command: load the aggregate, check `If-Match`, build the domain command, decide, write. It
 * runs inside the transaction runner, which re-runs all of it on fresh state when another writer came first, so a
 * rule is always judged against the version it is written after.
 */
export function runAggregateCommand<State, DomainCommand>(
  transactions: CommandTransactions,
  message: AggregateCommandMessage,
  storage: AggregateStorage<State, DomainCommand>,
  toDomainCommand: (state: State | null, unit: WriteUnit) => DomainCommand | Promise<DomainCommand>,
): Promise<CommandAnswer> {
  const id = message.input.id;
  return transactions.run({ ...message.options, aggregateId: id }, async (unit) => {
    const state = await storage.load(unit, id);
    const { expectedVersion } = message;
    if (state !== null && expectedVersion !== undefined && expectedVersion !== storage.versionOf(state)) {
      throw new VersionMismatch(expectedVersion, storage.versionOf(state));
    }
    const version = await storage.decideAndWrite(unit, id, state, await toDomainCommand(state, unit));
    return {
      outcome: state === null ? 'created' : 'changed',
      body: {
        id,
        version,
        consistencyToken: encodeConsistencyToken({ kind: storage.kind, streamId: id, version }),
      },
    };
  });
}
