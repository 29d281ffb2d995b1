import { options } from '../../test/in-memory-transactions';
import { orderId, placed, storeWithOrder } from '../../test/order-fixtures';
import { ShipOrderCommand } from './ship-order.command';
import { ShipOrderHandler } from './ship-order.handler';

describe('ShipOrder', () => {
  it('ships a placed order', async () => {
    const answer = await new ShipOrderHandler(storeWithOrder(placed)).execute(
      new ShipOrderCommand(orderId, options()),
    );
    expect(answer.body.version).toBe(4);
  });

  it('refuses a draft', async () => {
    await expect(
      new ShipOrderHandler(storeWithOrder()).execute(new ShipOrderCommand(orderId, options())),
    ).rejects.toMatchObject({ code: 'order.not-placed' });
  });
});
