import {
  CUSTOMER_COMMANDS,
  ORDER_COMMANDS,
  type BodyOf,
  type CommandRoute,
  type CustomerCommandName,
  type OrderCommandName,
  type ParamsOf,
} from '@tandem/contracts';
import type { CommandResponse } from '@tandem/write/persistence';
import { commandInput } from '../commands/command-input';
import { CustomerCommandHandler } from '../customers/customer-command.handler';
import { CustomerCommandMessage } from '../customers/customer-command.message';
import { OrderCommandHandler } from '../orders/order-command.handler';
import { OrderCommandMessage } from '../orders/order-command.message';
import { options, type InMemoryTransactions } from './in-memory-transactions';

/** A command's request as a spec writes it: its path parameters, and its body when the route has one. */
export interface TestRequest<R extends CommandRoute> {
  params: ParamsOf<R>;
  body?: BodyOf<R>;
}

/** Sends an order command as its route would, past HTTP: through the handler, on the in-memory store. */
export function sendOrderCommand<Name extends OrderCommandName>(
  store: InMemoryTransactions,
  name: Name,
  request: TestRequest<(typeof ORDER_COMMANDS)[Name]>,
  expectedVersion?: number,
): Promise<CommandResponse> {
  // A route without a body has `undefined` for it, which is what an omitted body is.
  const input = commandInput(
    ORDER_COMMANDS[name],
    request.params,
    request.body as BodyOf<(typeof ORDER_COMMANDS)[Name]>,
  );
  return new OrderCommandHandler(store).execute(
    new OrderCommandMessage(name, input, options(), expectedVersion),
  );
}

/** Sends a customer command as its route would, past HTTP: through the handler, on the in-memory store. */
export function sendCustomerCommand<Name extends CustomerCommandName>(
  store: InMemoryTransactions,
  name: Name,
  request: TestRequest<(typeof CUSTOMER_COMMANDS)[Name]>,
  expectedVersion?: number,
): Promise<CommandResponse> {
  const input = commandInput(
    CUSTOMER_COMMANDS[name],
    request.params,
    request.body as BodyOf<(typeof CUSTOMER_COMMANDS)[Name]>,
  );
  return new CustomerCommandHandler(store).execute(
    new CustomerCommandMessage(name, input, options(), expectedVersion),
  );
}
