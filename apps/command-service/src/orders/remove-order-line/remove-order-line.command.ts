import { Command } from '@nestjs/cqrs';
import type { CommandOptions, CommandResponse } from '@tandem/write/persistence';

export class RemoveOrderLineCommand extends Command<CommandResponse> {
  constructor(
    readonly orderId: string,
    readonly sku: string,
    readonly options: CommandOptions,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
