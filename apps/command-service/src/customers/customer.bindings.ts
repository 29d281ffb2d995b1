import { CUSTOMER_COMMANDS } from '@tandem/contracts';
import type { CustomerCommand, CustomerState } from '@tandem/write/domain';
import { seesAll, type Principal } from '@tandem/platform/auth';
import { problemOf, ProblemException } from '@tandem/platform/http';
import type { CustomerStore } from '@tandem/write/persistence';
import type { CommandBindings } from '../commands/command-input';

/**
 * The write-side half of each customer command of libs/contracts (`CUSTOMER_COMMANDS`: route, docs, body, events):
 * the domain command it becomes, built inside the transaction from the request and what the unit loads.
 */
export const CUSTOMER_BINDINGS: CommandBindings<typeof CUSTOMER_COMMANDS, CustomerState, CustomerCommand> = {
  RegisterCustomer: {
    toDomainCommand: async ({ id, body, principal }, _state, { customers }) => ({
      type: 'RegisterCustomer',
      customerId: id,
      ...body,
      emailAlreadyTaken: await customers.isEmailTaken(body.email),
      ...(principal && !seesAll(principal)
        ? { ownerSubject: await selfRegistration(principal, body.email, customers) }
        : {}),
    }),
  },

  ChangeCreditLimit: {
    toDomainCommand: ({ id, body }) => ({
      type: 'ChangeCreditLimit',
      customerId: id,
      creditLimit: body.creditLimit,
    }),
  },
};

/**
 * A customer registers itself once, with its account's verified email: so a registration can never be used to
 * find out whether some other address is registered (the only address it can be refused for is its own). Returns
 * the subject the record will belong to.
 */
async function selfRegistration(
  principal: Principal,
  email: string,
  customers: CustomerStore,
): Promise<string> {
  const existing = await customers.ownedBy(principal.subject);
  if (existing !== null) {
    throw new ProblemException(
      problemOf('customer.already-registered', 'This account already has a customer record.', {
        customerId: existing,
      }),
    );
  }
  if (principal.email === undefined || principal.email.toLowerCase() !== email.trim().toLowerCase()) {
    throw new ProblemException(
      problemOf(
        'customer.email-not-verified',
        "A customer registers with its account's verified email (the access token's email claim).",
      ),
    );
  }
  return principal.subject;
}
