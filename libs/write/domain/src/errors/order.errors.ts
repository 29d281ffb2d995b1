import type { OrderStatus } from '../order/order.state';
import { DomainError } from './domain-error';

// One class per rule of the Order aggregate, named by the rule it guards.

export class OrderNotFound extends DomainError {
  static readonly code = 'order.not-found';
  constructor(orderId: string) {
    super(OrderNotFound.code, `Order ${orderId} does not exist.`, { orderId });
  }
}

export class OrderAlreadyExists extends DomainError {
  static readonly code = 'order.already-exists';
  constructor(orderId: string) {
    super(OrderAlreadyExists.code, `Order ${orderId} already exists.`, { orderId });
  }
}

export class OrderNotDraft extends DomainError {
  static readonly code = 'order.not-draft';
  constructor(orderId: string, status: OrderStatus) {
    super(OrderNotDraft.code, `Order ${orderId} is ${status}; only a draft order can be changed or placed.`, {
      orderId,
      orderStatus: status,
    });
  }
}

export class OrderHasNoLines extends DomainError {
  static readonly code = 'order.no-lines';
  constructor(orderId: string) {
    super(OrderHasNoLines.code, `Order ${orderId} has no lines; add at least one before placing it.`, {
      orderId,
    });
  }
}

export class TooManyOrderLines extends DomainError {
  static readonly code = 'order.too-many-lines';
  constructor(orderId: string, maxLines: number) {
    super(TooManyOrderLines.code, `Order ${orderId} already has the maximum of ${maxLines} lines.`, {
      orderId,
      maxLines,
    });
  }
}

export class DuplicateSku extends DomainError {
  static readonly code = 'order.duplicate-sku';
  constructor(orderId: string, sku: string) {
    super(
      DuplicateSku.code,
      `Order ${orderId} already has a line for SKU "${sku}"; remove that line and add it again to change it.`,
      { orderId, sku },
    );
  }
}

export class OrderLineNotFound extends DomainError {
  static readonly code = 'order.line-not-found';
  constructor(orderId: string, sku: string) {
    super(OrderLineNotFound.code, `Order ${orderId} has no line for SKU "${sku}".`, { orderId, sku });
  }
}

export class CreditLimitExceeded extends DomainError {
  static readonly code = 'order.credit-limit-exceeded';
  constructor(orderId: string, total: number, creditLimit: number) {
    super(
      CreditLimitExceeded.code,
      `Order ${orderId} totals ${total}, above the customer's credit limit of ${creditLimit} (minor units).`,
      { orderId, total, creditLimit },
    );
  }
}

export class OrderNotPlaced extends DomainError {
  static readonly code = 'order.not-placed';
  constructor(orderId: string, status: OrderStatus) {
    super(OrderNotPlaced.code, `Order ${orderId} is ${status}; only a placed order can be shipped.`, {
      orderId,
      orderStatus: status,
    });
  }
}

export class OrderAlreadyShipped extends DomainError {
  static readonly code = 'order.already-shipped';
  constructor(orderId: string) {
    super(OrderAlreadyShipped.code, `Order ${orderId} has already shipped and can no longer be cancelled.`, {
      orderId,
    });
  }
}

export class OrderAlreadyCancelled extends DomainError {
  static readonly code = 'order.already-cancelled';
  constructor(orderId: string) {
    super(OrderAlreadyCancelled.code, `Order ${orderId} is already cancelled.`, { orderId });
  }
}

export class AmountTooLarge extends DomainError {
  static readonly code = 'order.amount-too-large';
  constructor(orderId: string, currency: string, max: number) {
    super(
      AmountTooLarge.code,
      `A line of order ${orderId} (quantity × unit price) may be at most ${max} minor units of ${currency}.`,
      { orderId, of: 'line', currency, max },
    );
  }
}

export class OrderTotalTooLarge extends DomainError {
  static readonly code = 'order.total-too-large';
  constructor(orderId: string, total: number, currency: string, max: number) {
    super(
      OrderTotalTooLarge.code,
      `Order ${orderId} would total ${total}, above the maximum order total of ${max} minor units of ${currency}.`,
      { orderId, total, currency, max },
    );
  }
}

export class InvalidQuantity extends DomainError {
  static readonly code = 'order.invalid-quantity';
  constructor(quantity: number) {
    super(InvalidQuantity.code, `Quantity must be a whole number of at least 1, got ${quantity}.`, {
      quantity,
    });
  }
}

export class InvalidUnitPrice extends DomainError {
  static readonly code = 'order.invalid-unit-price';
  constructor(unitPrice: number, max: number) {
    super(
      InvalidUnitPrice.code,
      `Unit price must be a whole amount of minor units from 0 to ${max}, got ${unitPrice}.`,
      { unitPrice, max },
    );
  }
}

export class InvalidSku extends DomainError {
  static readonly code = 'order.invalid-sku';
  constructor(sku: string, maxLength: number) {
    super(InvalidSku.code, `SKU must be 1 to ${maxLength} characters long.`, { sku, maxLength });
  }
}

export class CancelReasonRequired extends DomainError {
  static readonly code = 'order.cancel-reason-required';
  constructor(orderId: string) {
    super(CancelReasonRequired.code, `Cancelling order ${orderId} needs a reason.`, { orderId });
  }
}

export class CancelReasonTooLong extends DomainError {
  static readonly code = 'order.cancel-reason-too-long';
  constructor(orderId: string, maxLength: number) {
    super(
      CancelReasonTooLong.code,
      `The reason for cancelling order ${orderId} must be at most ${maxLength} characters.`,
      { orderId, maxLength },
    );
  }
}
