import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { OrderCancelled, OrderPlaced } from '@tandem/contracts';
import { CloudEventContext } from '@tandem/contracts/nest';
import { Invoices } from './invoices';

/**
 * The team's handlers, one per event type it cares about (`orders.<Event>.v<major>`); the other events of the
 * topic are skipped. A handler that throws is retried, then its message is dead-lettered: the consumer goes on.
 */
@Controller()
export class OrderEventsController {
  constructor(private readonly invoices: Invoices) {}

  // `<string>`: NestJS 12's typed overload of EventPattern types every argument after the payload as `unknown`;
  // the untyped one lets the context be typed.
  @EventPattern<string>('orders.OrderPlaced.v1')
  placed(@Payload() order: OrderPlaced, @Ctx() context: CloudEventContext): void {
    this.invoices.issue({
      orderId: order.orderId,
      customerId: order.customerId,
      amount: order.total,
      currency: order.currency,
      eventId: context.getCloudEvent().id,
    });
  }

  @EventPattern('orders.OrderCancelled.v1')
  cancelled(@Payload() order: OrderCancelled): void {
    this.invoices.cancel(order.orderId);
  }
}
