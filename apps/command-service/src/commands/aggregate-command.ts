import { seesAll, type ConsistencyTokens, type Principal } from '@tandem/platform/auth';
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
  /** The subject of the account the aggregate belongs to (its customer's owner), if any. */
  ownerOf(unit: WriteUnit, state: State): Promise<string | undefined>;
  /** The domain's "no such aggregate": what a customer is told of another's. */
  notFound(id: string): Error;
  /** Decides the command against the state and writes what it decided; returns the aggregate's new version. */
  decideAndWrite(unit: WriteUnit, id: string, state: State | null, command: DomainCommand): Promise<number>;
}

/** What a route puts on the CommandBus, as far as the shell needs it. */
export interface AggregateCommandMessage {
  readonly input: { readonly id: string; readonly principal?: Principal };
  readonly options: CommandOptions;
  /** The client's `If-Match`, if any. */
  readonly expectedVersion?: number;
}

export const CONSISTENCY_TOKENS = Symbol('ConsistencyTokens');

/**
 * The shell around every command: load the aggregate, check that the caller may reach it, check `If-Match`, build
 * the domain command, decide, write, sign the consistency token. It runs inside the transaction runner, which re-runs
 * all of it on fresh state when another writer came first, so a rule is always judged against the version it is
 * written after, and the owner is checked where the data is, in the same transaction.
 */
export function runAggregateCommand<State, DomainCommand>(
  transactions: CommandTransactions,
  tokens: ConsistencyTokens,
  message: AggregateCommandMessage,
  storage: AggregateStorage<State, DomainCommand>,
  toDomainCommand: (state: State | null, unit: WriteUnit) => DomainCommand | Promise<DomainCommand>,
): Promise<CommandAnswer> {
  const id = message.input.id;
  const { principal } = message.input;
  return transactions.run(
    { ...message.options, aggregateId: id, aggregateKind: storage.kind },
    async (unit) => {
      const state = await storage.load(unit, id);
      // A customer reaches only what it owns; another's aggregate answers exactly as a missing one does.
      if (state !== null && principal !== undefined && !seesAll(principal)) {
        if ((await storage.ownerOf(unit, state)) !== principal.subject) throw storage.notFound(id);
      }
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
          consistencyToken: tokens.issue(
            { kind: storage.kind, streamId: id, version },
            principal?.subject ?? '',
          ),
        },
      };
    },
  );
}
