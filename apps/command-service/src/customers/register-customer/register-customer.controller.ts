import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { RegisterCustomerRequest, type CommandAccepted } from '@tandem/contracts';
import { parseOrThrow } from '@tandem/platform/http';
import { commandOptions } from '../../http/command-request';
import { sendCommand } from '../../http/send-command';
import { RegisterCustomerCommand } from './register-customer.command';

@Controller('api/customers')
export class RegisterCustomerController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  register(
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandAccepted> {
    const input = parseOrThrow(RegisterCustomerRequest, body);
    const options = commandOptions(request);
    return sendCommand(response, () => this.commandBus.execute(new RegisterCustomerCommand(input, options)));
  }
}
