import type { EventEnvelope } from '@tandem/contracts';
import type { Columns, RowOf } from './columns';

/** An event as read models see it: its envelope (stream, version, time) and its decoded payload. */
export interface ModelEvent<E> {
  envelope: EventEnvelope;
  event: E;
}

/**
 * Where a read model's statements run: the projection's batch transaction on the read DB (async), or the command's
 * write transaction (inline). `table` maps the model's table to the one actually written (a rebuild fills a copy).
 */
export interface ReadModelContext {
  query<Row = Record<string, unknown>>(sql: string, params: unknown[]): Promise<Row[]>;
  /**
   * Optional: takes a statement whose answer the model does not need (its writes), to be sent with what the
   * context sends next, in order: the projection runtime sends a batch's writes in its commit's round trip. A
   * statement that fails there fails the transaction all the same. Without it, the model sends them with `query`.
   */
  write?(sql: string, params: unknown[]): void;
  table(name: string): string;
}

/** Thrown when an event cannot ever apply to the model as it stands (it contradicts it): the event is dead-lettered. */
export class ReadModelRejectedEvent extends Error {
  override readonly name = 'ReadModelRejectedEvent';
}

/** Any tagged union of events: `type` is the event's name. */
export interface TypedEvent {
  type: string;
}

/** The event of a union with a given name. */
export type EventOfType<E extends TypedEvent, T extends E['type']> = Extract<E, { type: T }>;

/**
 * A row-per-aggregate read model (one row per stream, like an order summary): the row is read, a pure `evolve`
 * folds each event into it, and the result is written back.
 */
export interface DocumentModel<
  E extends TypedEvent = TypedEvent,
  C extends Columns = Columns,
  N extends string = string,
> {
  readonly kind: 'document';
  /** The model's name, kept as its literal type (a catalog of models can be keyed by it). */
  readonly name: N;
  readonly table: string;
  readonly columns: C;
  /** The primary key column: one row per stream, keyed by the stream id. */
  readonly key: keyof C & string;
  /** The events that change the model; any other is ignored. */
  readonly handles: readonly E['type'][];
  /** The events that start a row: the row is not read for them, and one that exists already rejects the event. */
  readonly creates: readonly E['type'][];
  /** `row` is null only for an event in `creates`. Throws `ReadModelRejectedEvent` for an event that cannot apply. */
  evolve(row: RowOf<C> | null, event: ModelEvent<E>): RowOf<C>;
}

/** How a counter model's column combines the values that changes bring. */
export type CounterRole = 'key' | 'increment' | 'set' | 'greatest';

export type CounterColumns = Record<string, Columns[string] & { readonly role: CounterRole }>;

/**
 * One change to one row of a counter model: the key columns' values and, for other columns, what the change brings
 * (added for an `increment` column, the new value of a `set` column, a candidate for a `greatest` column).
 */
export type CounterChange<C extends CounterColumns> = {
  [K in keyof C as C[K]['role'] extends 'key' ? K : never]: RowOf<C>[K];
} & {
  [K in keyof C as C[K]['role'] extends 'key' ? never : K]?: C[K]['role'] extends 'increment'
    ? number | bigint | string
    : Exclude<RowOf<C>[K], null>;
};

/** Per event type, the changes an event makes (none, one or several rows). */
export type ChangeTable<E extends TypedEvent, C extends CounterColumns> = {
  [T in E['type']]?: (
    event: EventOfType<E, T>,
    envelope: EventEnvelope,
  ) => CounterChange<C> | readonly CounterChange<C>[] | null;
};

/**
 * A counter read model (rows keyed by something other than a stream: a customer's counts, a day's sales): declared
 * as a change table per event, like Marten's flat-table projections. Changes to the same row commute (increments
 * add, `greatest` keeps the larger) or are ordered by their stream (`set`), so a batch is folded in the process.
 */
export interface CounterModel<
  E extends TypedEvent = TypedEvent,
  C extends CounterColumns = CounterColumns,
  N extends string = string,
> {
  readonly kind: 'counters';
  readonly name: N;
  readonly table: string;
  readonly columns: C;
  readonly on: ChangeTable<E, C>;
}

export type ReadModel<E extends TypedEvent = TypedEvent> =
  DocumentModel<E, Columns> | CounterModel<E, CounterColumns>;

/** The event types a model reads. */
export function handledTypes<E extends TypedEvent>(model: ReadModel<E>): readonly E['type'][] {
  // A change table's keys are event types: `ChangeTable` allows no other.
  return model.kind === 'document' ? model.handles : (Object.keys(model.on) as E['type'][]);
}

/**
 * The changes one event makes to a counter model, as its change table declares them (none for an event it does not
 * list): what `applyCounterModel` folds, and what a model's given/when/then spec checks.
 */
export function changesOf<E extends TypedEvent, C extends CounterColumns>(
  model: CounterModel<E, C>,
  { envelope, event }: ModelEvent<E>,
): readonly CounterChange<C>[] {
  // The table is keyed by event type, each entry typed by its event: looked up by the event's own type.
  const changes = (
    model.on as Record<
      string,
      ((e: E, env: typeof envelope) => CounterChange<C> | readonly CounterChange<C>[] | null) | undefined
    >
  )[event.type];
  const produced = changes ? changes(event, envelope) : null;
  if (produced === null) return [];
  return isList(produced) ? produced : [produced];
}

function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}

/**
 * Declares a document model over the event union `E`: `defineDocumentModel<TandemEvent>()({ … })`. (Two calls, so
 * that the events are named and the columns inferred.)
 */
export function defineDocumentModel<E extends TypedEvent>() {
  return <N extends string, C extends Columns>(
    model: Omit<DocumentModel<E, C, N>, 'kind'>,
  ): DocumentModel<E, C, N> => {
    if (!(model.key in model.columns)) throw new Error(`${model.name}: key ${model.key} is not a column`);
    return { kind: 'document', ...model };
  };
}

/** Declares a counter model over the event union `E`: `defineCounterModel<TandemEvent>()({ … })`. */
export function defineCounterModel<E extends TypedEvent>() {
  return <N extends string, C extends CounterColumns>(
    model: Omit<CounterModel<E, C, N>, 'kind'>,
  ): CounterModel<E, C, N> => validateCounterModel(model);
}

function validateCounterModel<E extends TypedEvent, C extends CounterColumns, N extends string>(
  model: Omit<CounterModel<E, C, N>, 'kind'>,
): CounterModel<E, C, N> {
  const roles = Object.values(model.columns).map((c) => c.role);
  if (!roles.includes('key')) throw new Error(`${model.name}: a counter model needs at least one key column`);
  for (const [name, col] of Object.entries(model.columns)) {
    if (col.role === 'increment' && !['int', 'bigint', 'numeric'].includes(col.type)) {
      throw new Error(`${model.name}.${name}: only a number column can be incremented`);
    }
    if (col.role === 'increment' && col.nullable) {
      throw new Error(`${model.name}.${name}: an incremented column cannot be NULL`);
    }
  }
  return { kind: 'counters', ...model };
}
