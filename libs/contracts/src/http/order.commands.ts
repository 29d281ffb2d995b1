import { z } from 'zod';
import { Sku } from '../events/order-line-added.event';
import { CommandAmount } from '../money';
import { rolesOf } from './access';
import { defineCommands, ORDER_ID, type PathParam } from './command-route';

// Bodies check shape only (types, ranges, formats): a request that fails them is a 400 naming each bad field.
// Business rules (credit limit, order status) are the domain's, answered 409.

export const CreateOrderRequest = z.object({ customerId: z.uuid() }).strict();
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

/** A SKU as a client sends it: surrounding whitespace is dropped, and a blank SKU is refused. */
export const SkuInput = z.string().trim().min(1, 'must not be blank').pipe(Sku);

export const AddOrderLineRequest = z
  .object({
    sku: SkuInput,
    quantity: z.number().int().min(1).max(1_000_000),
    unitPrice: CommandAmount,
  })
  .strict();
export type AddOrderLineRequest = z.infer<typeof AddOrderLineRequest>;

export const CancelOrderRequest = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export type CancelOrderRequest = z.infer<typeof CancelOrderRequest>;

const SKU: PathParam = { kind: 'sku', description: 'SKU of the line to remove (URL-encoded)' };

/** The Order's commands (event-sourced): one block per command. */
export const ORDER_COMMANDS = defineCommands({
  CreateOrder: {
    method: 'POST',
    path: '/api/orders',
    operationId: 'createOrder',
    summary: 'Create a draft order for a customer',
    description: "The order takes the customer's currency.",
    params: {},
    body: { name: 'CreateOrderRequest', schema: CreateOrderRequest },
    creates: true,
    emits: ['OrderCreated'],
    rejects: {
      'customer.not-found': 404,
    },
    access: rolesOf('customer', 'staff'),
  },

  AddOrderLine: {
    method: 'POST',
    path: '/api/orders/:id/lines',
    operationId: 'addOrderLine',
    summary: 'Add a line to a draft order',
    description:
      'quantity 1 to 1,000,000, unitPrice ≥ 0 in minor units; at most 100 lines per order. A line and the order ' +
      'total may be at most 10^12 major units of the currency (order.amount-too-large, order.total-too-large).',
    params: { id: ORDER_ID },
    body: { name: 'AddOrderLineRequest', schema: AddOrderLineRequest },
    emits: ['OrderLineAdded'],
    rejects: {
      'order.not-found': 404,
      'order.not-draft': 409,
      'order.too-many-lines': 409,
      'order.duplicate-sku': 409,
      'order.amount-too-large': 400,
      'order.total-too-large': 409,
      'order.invalid-quantity': 400,
      'order.invalid-unit-price': 400,
      'order.invalid-sku': 400,
    },
    access: rolesOf('customer', 'staff'),
  },

  RemoveOrderLine: {
    method: 'DELETE',
    path: '/api/orders/:id/lines/:sku',
    operationId: 'removeOrderLine',
    summary: 'Remove a line from a draft order',
    params: { id: ORDER_ID, sku: SKU },
    emits: ['OrderLineRemoved'],
    rejects: {
      'order.not-found': 404,
      'order.not-draft': 409,
      'order.line-not-found': 409,
      'order.invalid-sku': 400,
    },
    access: rolesOf('customer', 'staff'),
  },

  PlaceOrder: {
    method: 'POST',
    path: '/api/orders/:id/place',
    operationId: 'placeOrder',
    summary: 'Place a draft order',
    description: "Needs at least one line and a total within the customer's credit limit.",
    params: { id: ORDER_ID },
    emits: ['OrderPlaced'],
    rejects: {
      'order.not-found': 404,
      'order.not-draft': 409,
      'order.no-lines': 409,
      'order.credit-limit-exceeded': 409,
    },
    access: rolesOf('customer', 'staff'),
  },

  ShipOrder: {
    method: 'POST',
    path: '/api/orders/:id/ship',
    operationId: 'shipOrder',
    summary: 'Ship a placed order',
    params: { id: ORDER_ID },
    emits: ['OrderShipped'],
    rejects: {
      'order.not-found': 404,
      'order.not-placed': 409,
    },
    access: rolesOf('staff'),
  },

  CancelOrder: {
    method: 'POST',
    path: '/api/orders/:id/cancel',
    operationId: 'cancelOrder',
    summary: 'Cancel a draft or placed order',
    description: 'A shipped order cannot be cancelled.',
    params: { id: ORDER_ID },
    body: { name: 'CancelOrderRequest', schema: CancelOrderRequest },
    emits: ['OrderCancelled'],
    rejects: {
      'order.not-found': 404,
      'order.already-shipped': 409,
      'order.already-cancelled': 409,
      'order.cancel-reason-required': 400,
      'order.cancel-reason-too-long': 400,
    },
    access: rolesOf('customer', 'staff'),
  },
});
export type OrderCommandName = keyof typeof ORDER_COMMANDS;
