import { GetCustomerController } from './get-customer.controller';
import { GetCustomerHandler } from './get-customer.handler';

export const GET_CUSTOMER = { controllers: [GetCustomerController], handlers: [GetCustomerHandler] };
