import { Command } from '@nestjs/cqrs';
import type { CreateOrderRequest } from '@tandem/contracts';
import type { CommandOptions, CommandResponse } from '@tandem/write/persistence';

export class CreateOrderCommand extends Command<CommandResponse> {
  constructor(
    readonly request: CreateOrderRequest,
    readonly options: CommandOptions,
  ) {
    super();
  }
}
