import { randomUUID } from 'node:crypto';
import type { BodyOf, CommandRoute, CommandTable, ParamsOf } from '@tandem/contracts';
import type { Principal } from '@tandem/platform/auth';
import type { WriteUnit } from '@tandem/write/persistence';

/** A command's request, its path parameters and body checked by its route's declaration. */
export interface CommandInput<R extends CommandRoute> {
  /** The aggregate's id: the path's `:id`, or the id chosen for the aggregate a command creates. */
  readonly id: string;
  readonly params: ParamsOf<R>;
  readonly body: BodyOf<R>;
  /** Who sends it (the access guard verified its token); absent only where a test calls a handler directly. */
  readonly principal?: Principal;
}

/** The write-side half of a command: how its request becomes the domain command, inside the transaction. */
export interface CommandBinding<R extends CommandRoute, State, DomainCommand> {
  /** From the request, the aggregate's loaded state and whatever else the unit loads (the order's customer). */
  toDomainCommand(
    input: CommandInput<R>,
    state: State | null,
    unit: WriteUnit,
  ): DomainCommand | Promise<DomainCommand>;
}

/**
 * One binding per command of a table, each building the domain command of the same name (its `type`): a table's
 * command without a binding, a binding without a command, or one building another command does not compile.
 */
export type CommandBindings<T extends CommandTable, State, DomainCommand extends { type: string }> = {
  readonly [Name in keyof T & string]: CommandBinding<T[Name], State, Extract<DomainCommand, { type: Name }>>;
};

/**
 * The input of one command. A new aggregate's id is chosen here, once, before the transaction: a retried attempt
 * (after a version conflict) creates the same aggregate.
 */
export function commandInput<R extends CommandRoute>(
  route: R,
  params: ParamsOf<R>,
  body: BodyOf<R>,
  principal?: Principal,
): CommandInput<R> {
  const named: Readonly<Record<string, string | undefined>> = params;
  const id = route.creates ? randomUUID() : named['id'];
  if (id === undefined) throw new Error(`${route.method} ${route.path} neither creates nor names an :id`);
  return { id, params, body, ...(principal ? { principal } : {}) };
}
