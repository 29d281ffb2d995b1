import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import type { CommandAccepted } from '@tandem/contracts';
import { commandOptions, expectedVersion } from '../../http/command-request';
import { parseIdParam } from '../../http/path-params';
import { sendCommand } from '../../http/send-command';
import { ShipOrderCommand } from './ship-order.command';

@Controller('api/orders')
export class ShipOrderController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/ship')
  ship(
    @Param('id') id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandAccepted> {
    const orderId = parseIdParam(id);
    const command = new ShipOrderCommand(orderId, commandOptions(request, orderId), expectedVersion(request));
    return sendCommand(response, () => this.commandBus.execute(command));
  }
}
