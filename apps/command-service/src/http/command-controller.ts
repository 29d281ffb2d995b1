import { Controller, type Type } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { Request } from 'express';
import type { BodyOf, CommandRoute, CommandTable, ParamsOf, PathParam } from '@tandem/contracts';
import { principalOf } from '@tandem/platform/auth';
import { addDeclaredRoute, parseOrThrow, RouteAccess } from '@tandem/platform/http';
import type { CommandAnswer, CommandOptions } from '@tandem/write/persistence';
import { RejectionRecorder } from '../command-status/rejection-recorder';
import { commandInput, type CommandInput } from '../commands/command-input';
import { commandOptions, expectedVersion } from './command-request';
import { PATH_PARAM_PARSERS } from './path-params';
import { sendCommand } from './send-command';

/** The message class an aggregate's handler takes from the CommandBus. */
export type CommandMessageClass<T extends CommandTable> = new <Name extends keyof T & string>(
  name: Name,
  input: CommandInput<T[Name]>,
  options: CommandOptions,
  expectedVersion?: number,
) => Command<CommandAnswer>;

/**
 * The controller of one aggregate's commands, one route per command of its table. A route checks its path
 * parameters, its body, the `Idempotency-Key` and (on an existing aggregate) `If-Match`, in that order, then puts
 * the message on the CommandBus and answers what the handler answered. A refusal of a command with an
 * `Idempotency-Key` is kept for its status (`GET /api/commands/{key}`) before it is answered.
 */
export function commandController<T extends CommandTable>(
  table: T,
  Message: CommandMessageClass<T>,
): Type<unknown> {
  @Controller()
  class CommandController {
    constructor(
      readonly commandBus: CommandBus,
      readonly rejections: RejectionRecorder,
    ) {}
  }
  // OrderCommandMessage → OrderCommandController, in Nest's route log.
  Object.defineProperty(CommandController, 'name', { value: Message.name.replace(/Message$/, 'Controller') });
  for (const [name, route] of Object.entries(table)) {
    addDeclaredRoute(CommandController, {
      key: route.operationId,
      method: route.method,
      path: route.path,
      passthrough: true,
      decorators: [RouteAccess(route.access)],
      async handle(request, response) {
        try {
          const input = commandInput(route, ...checkedRequest(route, request), principalOf(request));
          const options = commandOptions(request);
          const message = new Message(
            name,
            input,
            options,
            route.creates ? undefined : expectedVersion(request),
          );
          return await sendCommand(response, route, () => this.commandBus.execute(message));
        } catch (error) {
          await this.rejections.record(request, error);
          throw error;
        }
      },
    });
  }
  return CommandController;
}

/** The path parameters, then the body, each checked by what the route declares. */
function checkedRequest<R extends CommandRoute>(route: R, request: Request): [ParamsOf<R>, BodyOf<R>] {
  const params = Object.fromEntries(
    Object.entries<PathParam>(route.params).map(([name, param]) => [
      name,
      PATH_PARAM_PARSERS[param.kind](String(request.params[name]), name),
    ]),
  );
  const body: unknown = route.body ? parseOrThrow(route.body.schema, request.body) : undefined;
  // The route's own schemas checked both just now: these are the types those schemas yield.
  return [params as ParamsOf<R>, body as BodyOf<R>];
}
