import { Delete, Post, Put, Req, Res, type Type } from '@nestjs/common';
import type { Request, Response } from 'express';

const METHODS = { POST: Post, PUT: Put, DELETE: Delete } as const;

/** A route declared as data, to become one method of a controller class. */
export interface DeclaredRoute<Controller> {
  /** The method's name on the controller: unique within it. */
  key: string;
  method: keyof typeof METHODS;
  /** Express style (`/api/orders/:id`), from the root when the controller has no path of its own. */
  path: string;
  /** Nest sends what `handle` resolves to (`@Res({ passthrough: true })`); otherwise `handle` answers itself. */
  passthrough: boolean;
  /** Further decorators of the method (OpenAPI docs), applied in this order. */
  decorators?: MethodDecorator[];
  handle(this: Controller, request: Request, response: Response): Promise<unknown>;
}

/**
 * Adds a route to a controller class, as `@Post(path) key(@Req() request, @Res() response)` written in it would:
 * for a table of routes that the gateway and a service both build from one declaration.
 */
export function addDeclaredRoute<Controller>(
  controller: Type<Controller>,
  route: DeclaredRoute<Controller>,
): void {
  const prototype: object = controller.prototype;
  const { key } = route;
  if (Object.prototype.hasOwnProperty.call(prototype, key)) {
    throw new Error(`${controller.name} already has a method ${key}`);
  }
  // A function of its own: Nest and Swagger keep a route's metadata on the method's function object.
  const handle = function (this: Controller, request: Request, response: Response): Promise<unknown> {
    return route.handle.call(this, request, response);
  };
  Object.defineProperty(handle, 'name', { value: key });
  Object.defineProperty(prototype, key, { value: handle, writable: true, configurable: true });
  const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
  if (descriptor === undefined) throw new Error(`${controller.name}.${key} could not be defined`);
  // What the compiler would emit for the written method: its parameter types, then its decorators, bottom up.
  Reflect.defineMetadata('design:paramtypes', [Object, Object], prototype, key);
  Req()(prototype, key, 0);
  Res({ passthrough: route.passthrough })(prototype, key, 1);
  for (const decorate of [...(route.decorators ?? []), METHODS[route.method](route.path)]) {
    decorate(prototype, key, descriptor);
  }
}
