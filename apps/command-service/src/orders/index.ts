import { ORDER_COMMANDS } from '@tandem/contracts';
import { commandController } from '../http/command-controller';
import { OrderCommandHandler } from './order-command.handler';
import { OrderCommandMessage } from './order-command.message';

export const ORDER_COMMAND_HANDLERS = [OrderCommandHandler];
export const ORDER_CONTROLLERS = [commandController(ORDER_COMMANDS, OrderCommandMessage)];
