import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { principalOf } from '@tandem/platform/auth';
import { addRateLimitHeaders, rateLimitExceeded } from './rate-limit-headers';
import type { RateLimits } from './rate-limits';
import { routeClassOf } from './route-class';

/**
 * The per-principal limit. An interceptor, not a guard, so that it runs after every guard whatever the order of
 * their registration: the access guard has verified the token and attached its principal by then. A public route
 * (no principal) is left to the per-IP limit. The key is the issuer and subject: one user, whichever token.
 */
export class PrincipalRateLimitInterceptor implements NestInterceptor {
  constructor(private readonly limits: RateLimits) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const principal = principalOf(request);
    const routeClass = routeClassOf(request.method, request.path);
    if (principal === undefined || routeClass === null) return next.handle();
    const key = `${principal.issuer} ${principal.subject}`;
    return from(this.limits.consume('principal', routeClass, key)).pipe(
      switchMap((decision) => {
        if (decision !== null) {
          addRateLimitHeaders(context.switchToHttp().getResponse<Response>(), decision);
          if (!decision.allowed) throw rateLimitExceeded(decision);
        }
        return next.handle();
      }),
    );
  }
}
