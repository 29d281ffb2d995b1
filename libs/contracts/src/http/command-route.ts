import { z } from 'zod';
import type { TandemEventName } from '../events/event-catalog';
import type { Access } from './access';

/**
 * The public half of a command: its route, its OpenAPI docs, its body schema and the events it may record. The
 * gateway builds its routes and the OpenAPI document from it; the command service binds each one, by the same name,
 * to its domain command (apps/command-service, `*.bindings.ts`). Plain data: nothing here knows Nest or the domain.
 */
export interface CommandRoute<Path extends string = string> {
  readonly method: CommandMethod;
  /** Express style, `:name` per parameter. A route that does not create names its aggregate with `:id`. */
  readonly path: Path;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** Every path parameter, in path order. */
  readonly params: { readonly [Name in PathParamNames<Path>]: PathParam };
  readonly body?: CommandBody;
  /** Creates its aggregate: answered 201 with the new resource's Location, `<path>/<id>`. */
  readonly creates?: boolean;
  /** The events an accepted command records (the command service's tests hold this to the decider). */
  readonly emits: readonly TandemEventName[];
  /**
   * The business-rule codes a refused command answers, with their HTTP status (the domain's catalogue, and the
   * command's own rules such as `customer.already-registered`): listed per operation in the OpenAPI document. The
   * command service's tests hold it to the decider (every code a run of the command is refused with is listed,
   * with the status it is answered with) and to the catalogues (every code is catalogued, every domain code listed).
   */
  readonly rejects: Readonly<Record<string, number>>;
  /**
   * Who may send it (the gateway and the command service both enforce it; the OpenAPI document shows it). A
   * `customer` reaches only its own customer and orders: the command service checks the owner in the command's
   * transaction and answers another's as not found.
   */
  readonly access: Access;
}

export type CommandMethod = 'POST' | 'PUT' | 'DELETE';

/** What a path parameter is: the command service checks it, the gateway documents it, both from this word. */
export type PathParamKind = 'uuid' | 'sku';

export interface PathParam {
  readonly kind: PathParamKind;
  readonly description: string;
}

export const ORDER_ID: PathParam = { kind: 'uuid', description: 'Order id' };
export const CUSTOMER_ID: PathParam = { kind: 'uuid', description: 'Customer id' };

export interface CommandBody<Schema extends z.ZodType = z.ZodType> {
  /** Its name among the OpenAPI document's `components.schemas`. */
  readonly name: string;
  readonly schema: Schema;
}

/** `'/api/orders/:id/lines/:sku'` → `'id' | 'sku'`. */
export type PathParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<Rest>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

/** An aggregate's commands, keyed by command name: the `type` of the domain command each one becomes. */
export type CommandTable = { readonly [name: string]: CommandRoute };

/** The table as written, with each route's path parameters checked against its `params`. */
export function defineCommands<const T extends { readonly [K in keyof T]: CheckedRoute<T[K]> }>(table: T): T {
  return table;
}

/** A route whose `params` name exactly its path's parameters: none missing, none extra. */
type CheckedRoute<R> = R extends { readonly path: infer Path extends string; readonly params: infer Params }
  ? CommandRoute<Path> & {
      readonly params: { readonly [Extra in Exclude<keyof Params, PathParamNames<Path>>]: never };
    }
  : never;

/** A command's path parameters, as the command service hands them to its binding. */
export type ParamsOf<R extends CommandRoute> = { readonly [Name in PathParamNames<R['path']>]: string };

/** A command's body after its schema parsed it, or `undefined` for a route without one. */
export type BodyOf<R extends CommandRoute> =
  R['body'] extends CommandBody<infer Schema> ? z.output<Schema> : undefined;

/** What every accepted command answers. */
export const CommandAccepted = z.object({
  id: z.uuid(),
  version: z.number().int().min(1),
  consistencyToken: z.string(),
});
export type CommandAccepted = z.infer<typeof CommandAccepted>;
