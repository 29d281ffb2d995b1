import { Controller, Get, Post, Put, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CommandRoute, CUSTOMER_ID, QueryRoute } from '../openapi/route-docs';
import { Upstreams } from '../upstream/upstreams';

/** Customers: commands go to the command service, the read to the query service, on the same paths. */
@ApiTags('customers')
@Controller('api/customers')
export class CustomersController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post()
  @CommandRoute({
    operationId: 'registerCustomer',
    summary: 'Register a customer',
    description:
      'Email must be valid and unique; currency a known ISO 4217 code; creditLimit from 0 to 10^12 major units ' +
      'of the currency, in minor units (JPY 10^12, EUR 10^14).',
    body: 'RegisterCustomerRequest',
    creates: true,
  })
  register(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.command.forward(request, response);
  }

  @Put(':id/credit-limit')
  @CommandRoute({
    operationId: 'changeCreditLimit',
    summary: "Change a customer's credit limit",
    params: [CUSTOMER_ID],
    body: 'ChangeCreditLimitRequest',
  })
  changeCreditLimit(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.command.forward(request, response);
  }

  @Get(':id')
  @QueryRoute({
    operationId: 'getCustomer',
    summary: 'Get a customer with their order counts and lifetime value',
    params: [CUSTOMER_ID],
    response: 'Customer',
    conditional: true,
    notFound: true,
  })
  get(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.query.forward(request, response);
  }
}
