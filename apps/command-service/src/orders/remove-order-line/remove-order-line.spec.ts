import { options } from '../../test/in-memory-transactions';
import { orderId, storeWithOrder } from '../../test/order-fixtures';
import { RemoveOrderLineCommand } from './remove-order-line.command';
import { RemoveOrderLineHandler } from './remove-order-line.handler';

describe('RemoveOrderLine', () => {
  it('removes an existing line', async () => {
    const answer = await new RemoveOrderLineHandler(storeWithOrder()).execute(
      new RemoveOrderLineCommand(orderId, 'A', options()),
    );
    expect(answer.body.version).toBe(3);
  });

  it('refuses a line that is not there', async () => {
    await expect(
      new RemoveOrderLineHandler(storeWithOrder()).execute(
        new RemoveOrderLineCommand(orderId, 'B', options()),
      ),
    ).rejects.toMatchObject({ code: 'order.line-not-found' });
  });
});
