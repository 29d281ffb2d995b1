import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import type { CommandAccepted } from '@tandem/contracts';
import { commandOptions, expectedVersion } from '../../http/command-request';
import { parseIdParam } from '../../http/path-params';
import { sendCommand } from '../../http/send-command';
import { PlaceOrderCommand } from './place-order.command';

@Controller('api/orders')
export class PlaceOrderController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/place')
  place(
    @Param('id') id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandAccepted> {
    const orderId = parseIdParam(id);
    const command = new PlaceOrderCommand(
      orderId,
      commandOptions(request, orderId),
      expectedVersion(request),
    );
    return sendCommand(response, () => this.commandBus.execute(command));
  }
}
