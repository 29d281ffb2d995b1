import { options } from '../../test/in-memory-transactions';
import { orderId, placed, storeWithOrder } from '../../test/order-fixtures';
import { CancelOrderCommand } from './cancel-order.command';
import { CancelOrderHandler } from './cancel-order.handler';

describe('CancelOrder', () => {
  it('cancels a placed order with its reason', async () => {
    const store = storeWithOrder(placed);
    const answer = await new CancelOrderHandler(store).execute(
      new CancelOrderCommand(orderId, { reason: 'changed my mind' }, options()),
    );
    expect(answer.body.version).toBe(4);
    expect(store.streams.get(orderId)?.at(-1)).toMatchObject({ type: 'OrderCancelled' });
  });

  it('refuses an order cancelled already', async () => {
    const store = storeWithOrder(placed);
    const handler = new CancelOrderHandler(store);
    await handler.execute(new CancelOrderCommand(orderId, { reason: 'once' }, options()));
    await expect(
      handler.execute(new CancelOrderCommand(orderId, { reason: 'twice' }, options())),
    ).rejects.toMatchObject({ code: 'order.already-cancelled' });
  });
});
