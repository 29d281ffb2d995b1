import {
  Inject,
  Injectable,
  Module,
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD, ModulesContainer, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Access } from '@tandem/contracts';
import { problemOf, ProblemException, ROUTE_ACCESS } from '@tandem/platform/http';
import { AccessTokenVerifier } from './access-token-verifier';
import { forbidden } from './auth-problems';
import { setPrincipal } from './principal';

/**
 * Checks every request against its route's declared requirement: a public route passes; any other needs a valid
 * bearer token (401 otherwise) whose roles include one the route allows (403 otherwise). The verified principal
 * is attached to the request for the handler (`principalOf`). A route that declares nothing is refused (fail
 * closed), and `assertEveryRouteDeclaresAccess` stops a service that has one from starting at all.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ROUTE_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === undefined) {
      throw new ProblemException(problemOf('internal', 'This route declares no access requirement.'));
    }
    if (access.public === true) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const principal = await this.verifier.verifyAuthorization(request.headers.authorization);
    setPrincipal(request, principal);
    if (!access.roles.some((role) => principal.roles.includes(role))) {
      throw forbidden(`This route needs the role ${access.roles.join(' or ')}.`);
    }
    return true;
  }
}

/** Every route of the application checked by the access guard, with this verifier. */
@Module({})
export class AuthModule {
  static register(verifier: AccessTokenVerifier): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AccessTokenVerifier, useValue: verifier },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [AccessTokenVerifier],
    };
  }
}

/** Each route (`METHOD path` of `Controller.method`) whose method and controller both declare no access. */
export function routesWithoutAccess(app: INestApplication): string[] {
  const missing: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype;
      if (typeof controller !== 'function') continue;
      const onClass = Reflect.getMetadata(ROUTE_ACCESS, controller) as Access | undefined;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        if (key === 'constructor') continue;
        const handler = prototype[key];
        if (typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const onMethod = Reflect.getMetadata(ROUTE_ACCESS, handler) as Access | undefined;
        if (onMethod === undefined && onClass === undefined) {
          const path = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
          missing.push(`${controller.name}.${key} (${path})`);
        }
      }
    }
  }
  return missing;
}

/** Throws, naming each route, when any route declares no access requirement: call it before listening. */
export function assertEveryRouteDeclaresAccess(app: INestApplication): void {
  const missing = routesWithoutAccess(app);
  if (missing.length > 0) {
    throw new Error(`these routes declare no access requirement (add @RouteAccess): ${missing.join(', ')}`);
  }
}
