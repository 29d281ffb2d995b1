import { InMemoryTransactions, options } from '../../test/in-memory-transactions';
import { AddOrderLineCommand } from './add-order-line.command';
import { AddOrderLineHandler } from './add-order-line.handler';

const orderId = '9b2f5c1e-3a4d-4e8f-9c0b-1d2e3f4a5b6c';
const line = { sku: 'A', quantity: 2, unitPrice: 10 };

function withDraft(): InMemoryTransactions {
  const store = new InMemoryTransactions();
  store.streams.set(orderId, [
    { type: 'OrderCreated', data: { orderId, customerId: orderId, currency: 'EUR' } },
  ]);
  return store;
}

describe('AddOrderLine', () => {
  it('appends OrderLineAdded after the loaded version and answers 200 with the new version', async () => {
    const store = withDraft();
    const answer = await new AddOrderLineHandler(store).execute(
      new AddOrderLineCommand(orderId, line, options()),
    );
    expect(answer).toMatchObject({ status: 200, body: { id: orderId, version: 2 } });
    expect(answer.location).toBeUndefined();
  });

  it('answers a stale If-Match with a version mismatch and appends nothing', async () => {
    const store = withDraft();
    await expect(
      new AddOrderLineHandler(store).execute(new AddOrderLineCommand(orderId, line, options(), 5)),
    ).rejects.toMatchObject({ code: 'precondition.version-mismatch', kind: 'precondition-failed' });
    expect(store.streams.get(orderId)).toHaveLength(1);
  });

  it('answers an unknown order with order.not-found', async () => {
    await expect(
      new AddOrderLineHandler(new InMemoryTransactions()).execute(
        new AddOrderLineCommand(orderId, line, options()),
      ),
    ).rejects.toMatchObject({ code: 'order.not-found' });
  });
});
