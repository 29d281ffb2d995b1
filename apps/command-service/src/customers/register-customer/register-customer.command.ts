import { Command } from '@nestjs/cqrs';
import type { RegisterCustomerRequest } from '@tandem/contracts';
import type { CommandOptions, CommandResponse } from '@tandem/write/persistence';

export class RegisterCustomerCommand extends Command<CommandResponse> {
  constructor(
    readonly request: RegisterCustomerRequest,
    readonly options: CommandOptions,
  ) {
    super();
  }
}
