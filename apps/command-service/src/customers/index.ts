import { ChangeCreditLimitController } from './change-credit-limit/change-credit-limit.controller';
import { ChangeCreditLimitHandler } from './change-credit-limit/change-credit-limit.handler';
import { RegisterCustomerController } from './register-customer/register-customer.controller';
import { RegisterCustomerHandler } from './register-customer/register-customer.handler';

export const CUSTOMER_COMMAND_HANDLERS = [RegisterCustomerHandler, ChangeCreditLimitHandler];
export const CUSTOMER_CONTROLLERS = [RegisterCustomerController, ChangeCreditLimitController];
