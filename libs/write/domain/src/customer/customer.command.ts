import type { ChangeCreditLimit } from './commands/change-credit-limit/change-credit-limit.command';
import type { RegisterCustomer } from './commands/register-customer/register-customer.command';

export type CustomerCommand = RegisterCustomer | ChangeCreditLimit;
