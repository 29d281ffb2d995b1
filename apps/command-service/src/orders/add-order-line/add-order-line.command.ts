import { Command } from '@nestjs/cqrs';
import type { AddOrderLineRequest } from '@tandem/contracts';
import type { CommandOptions, CommandResponse } from '@tandem/write/persistence';

export class AddOrderLineCommand extends Command<CommandResponse> {
  constructor(
    readonly orderId: string,
    readonly request: AddOrderLineRequest,
    readonly options: CommandOptions,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
