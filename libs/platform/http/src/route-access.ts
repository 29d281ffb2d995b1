import { SetMetadata } from '@nestjs/common';
import type { Access } from '@tandem/contracts';

/** Where a route's access requirement is kept (on its method, or on its controller for every method). */
export const ROUTE_ACCESS = 'tandem:route-access';

/**
 * Declares who may call the route (or every route of a controller). Every route declares one: the access guard
 * refuses a route that does not, and each service checks at start that none is missing.
 */
export function RouteAccess(access: Access): MethodDecorator & ClassDecorator {
  return SetMetadata(ROUTE_ACCESS, access);
}
