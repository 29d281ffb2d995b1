import { Command } from '@nestjs/cqrs';
import type { CancelOrderRequest } from '@tandem/contracts';
import type { CommandOptions, CommandResponse } from '@tandem/write/persistence';

export class CancelOrderCommand extends Command<CommandResponse> {
  constructor(
    readonly orderId: string,
    readonly request: CancelOrderRequest,
    readonly options: CommandOptions,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
