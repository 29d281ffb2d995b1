import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { CreateOrderRequest, type CommandAccepted } from '@tandem/contracts';
import { parseOrThrow } from '@tandem/platform/http';
import { commandOptions } from '../../http/command-request';
import { sendCommand } from '../../http/send-command';
import { CreateOrderCommand } from './create-order.command';

@Controller('api/orders')
export class CreateOrderController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  create(
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandAccepted> {
    const input = parseOrThrow(CreateOrderRequest, body);
    const options = commandOptions(request);
    return sendCommand(response, () => this.commandBus.execute(new CreateOrderCommand(input, options)));
  }
}
