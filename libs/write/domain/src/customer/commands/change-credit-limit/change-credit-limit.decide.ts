import type { CustomerEvent } from '@tandem/contracts';
import { CustomerNotFound } from '../../../errors/customer.errors';
import { assertValidCreditLimit } from '../../customer.rules';
import type { CustomerState } from '../../customer.state';
import type { ChangeCreditLimit } from './change-credit-limit.command';

export function decideChangeCreditLimit(
  command: ChangeCreditLimit,
  state: CustomerState | null,
): CustomerEvent[] {
  const { customerId, creditLimit } = command;
  assertValidCreditLimit(creditLimit);
  if (state === null) throw new CustomerNotFound(customerId);
  assertValidCreditLimit(creditLimit, state.currency);
  // Setting the limit it already has changes nothing, so nothing is recorded: consumers would only see noise, and
  // the command still succeeds (the handler answers with the unchanged version).
  if (state.creditLimit === creditLimit) return [];
  return [
    {
      type: 'CustomerCreditLimitChanged',
      data: { customerId, creditLimit, previousCreditLimit: state.creditLimit },
    },
  ];
}
