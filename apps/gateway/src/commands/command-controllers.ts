import { Controller, type Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CUSTOMER_COMMANDS, ORDER_COMMANDS, type CommandTable } from '@tandem/contracts';
import { addDeclaredRoute } from '@tandem/platform/http';
import { CommandRouteDocs } from '../openapi/route-docs';
import { Upstreams } from '../upstream/upstreams';

/** The command tables of libs/contracts, by the OpenAPI tag their routes are listed under. */
export const COMMAND_TABLES = { customers: CUSTOMER_COMMANDS, orders: ORDER_COMMANDS } satisfies Record<
  string,
  CommandTable
>;

/**
 * One controller per table: each command's route, documented from its declaration, forwarded to the command
 * service on the same path. Adding a command to a table adds its route and its docs here.
 */
export function commandController(tag: keyof typeof COMMAND_TABLES): Type<unknown> {
  @ApiTags(tag)
  @Controller()
  class CommandController {
    constructor(readonly upstreams: Upstreams) {}
  }
  Object.defineProperty(CommandController, 'name', { value: `${tag}CommandController` });
  for (const route of Object.values<CommandTable[string]>(COMMAND_TABLES[tag])) {
    addDeclaredRoute(CommandController, {
      key: route.operationId,
      method: route.method,
      path: route.path,
      passthrough: false,
      decorators: [CommandRouteDocs(route)],
      handle(request, response) {
        return this.upstreams.command.forward(request, response);
      },
    });
  }
  return CommandController;
}
