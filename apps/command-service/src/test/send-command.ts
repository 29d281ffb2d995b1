import {
  CUSTOMER_COMMANDS,
  ORDER_COMMANDS,
  type BodyOf,
  type CommandRoute,
  type CustomerCommandName,
  type OrderCommandName,
  type ParamsOf,
} from '@tandem/contracts';
import { ConsistencyTokens, type Principal } from '@tandem/platform/auth';
import { commandInput } from '../commands/command-input';
import { CustomerCommandHandler } from '../customers/customer-command.handler';
import { CustomerCommandMessage } from '../customers/customer-command.message';
import { OrderCommandHandler } from '../orders/order-command.handler';
import { OrderCommandMessage } from '../orders/order-command.message';
import { httpAnswer, type HttpCommandAnswer } from '../http/send-command';
import { options, type InMemoryTransactions } from './in-memory-transactions';

/** A command's request as a spec writes it: its path parameters, and its body when the route has one. */
export interface TestRequest<R extends CommandRoute> {
  params: ParamsOf<R>;
  body?: BodyOf<R>;
  /** Who sends it; none, as a handler called without the HTTP layer. */
  principal?: Principal;
}

/** The consistency tokens the handlers sign in unit tests. */
export const TEST_CONSISTENCY_TOKENS = new ConsistencyTokens('a-secret-for-unit-tests-only');

/** A principal for a handler test. */
export function principal(subject: string, roles: Principal['roles'], email?: string): Principal {
  return { subject, issuer: 'https://issuer.test', roles, expiresAt: 0, ...(email ? { email } : {}) };
}

/** Sends an order command through its handler on the in-memory store, and answers as its route would. */
export async function sendOrderCommand<Name extends OrderCommandName>(
  store: InMemoryTransactions,
  name: Name,
  request: TestRequest<(typeof ORDER_COMMANDS)[Name]>,
  expectedVersion?: number,
): Promise<HttpCommandAnswer> {
  // A route without a body has `undefined` for it, which is what an omitted body is.
  const route = ORDER_COMMANDS[name];
  const input = commandInput(
    route,
    request.params,
    request.body as BodyOf<(typeof ORDER_COMMANDS)[Name]>,
    request.principal,
  );
  const message = new OrderCommandMessage(name, input, options(), expectedVersion);
  return httpAnswer(route, await new OrderCommandHandler(store, TEST_CONSISTENCY_TOKENS).execute(message));
}

/** Sends a customer command through its handler on the in-memory store, and answers as its route would. */
export async function sendCustomerCommand<Name extends CustomerCommandName>(
  store: InMemoryTransactions,
  name: Name,
  request: TestRequest<(typeof CUSTOMER_COMMANDS)[Name]>,
  expectedVersion?: number,
): Promise<HttpCommandAnswer> {
  const route = CUSTOMER_COMMANDS[name];
  const input = commandInput(
    route,
    request.params,
    request.body as BodyOf<(typeof CUSTOMER_COMMANDS)[Name]>,
    request.principal,
  );
  const message = new CustomerCommandMessage(name, input, options(), expectedVersion);
  return httpAnswer(route, await new CustomerCommandHandler(store, TEST_CONSISTENCY_TOKENS).execute(message));
}
