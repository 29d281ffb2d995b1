import { Command } from '@nestjs/cqrs';
import type { CommandOptions, CommandResponse } from '@tandem/write/persistence';

export class PlaceOrderCommand extends Command<CommandResponse> {
  constructor(
    readonly orderId: string,
    readonly options: CommandOptions,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
