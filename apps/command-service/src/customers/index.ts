import { CUSTOMER_COMMANDS } from '@tandem/contracts';
import { commandController } from '../http/command-controller';
import { CustomerCommandHandler } from './customer-command.handler';
import { CustomerCommandMessage } from './customer-command.message';

export const CUSTOMER_COMMAND_HANDLERS = [CustomerCommandHandler];
export const CUSTOMER_CONTROLLERS = [commandController(CUSTOMER_COMMANDS, CustomerCommandMessage)];
