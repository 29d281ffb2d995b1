import { Command } from '@nestjs/cqrs';
import type { ChangeCreditLimitRequest } from '@tandem/contracts';
import type { CommandOptions, CommandResponse } from '@tandem/write/persistence';

export class ChangeCreditLimitCommand extends Command<CommandResponse> {
  constructor(
    readonly customerId: string,
    readonly request: ChangeCreditLimitRequest,
    readonly options: CommandOptions,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
