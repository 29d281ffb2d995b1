import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { assertEveryRouteDeclaresAccess } from '@tandem/platform/auth';
import { createHttpApp } from '@tandem/platform/http';
import type { Logger } from '@tandem/platform/observability';
import { createAppModule } from './app.module';
import type { GatewayConfig } from './config';
import { useCors } from './edge/cors';
import { useIpRateLimit } from './edge/rate-limits/ip-rate-limit.middleware';
import { PrincipalRateLimitInterceptor } from './edge/rate-limits/principal-rate-limit.interceptor';
import { RateLimits } from './edge/rate-limits/rate-limits';
import { useSecurityHeaders } from './edge/security-headers';
import { setupOpenApi } from './openapi/openapi';

/** The gateway application, ready to listen: used by main.ts and by the tests that boot it in-process. */
export async function createGateway(config: GatewayConfig, logger: Logger): Promise<INestApplication> {
  const limits = await RateLimits.open(config, logger);
  let app: INestApplication;
  try {
    // The public edge, before any body is read: security headers, CORS, then the per-IP limit.
    app = await createHttpApp(createAppModule(config), logger, {
      edge: (edge) => {
        useSecurityHeaders(edge);
        useCors(edge, config.CORS_ALLOWED_ORIGINS);
        useIpRateLimit(edge, limits);
      },
    });
  } catch (error) {
    await limits.close();
    throw error;
  }
  assertEveryRouteDeclaresAccess(app);
  // After every guard: the principal is known (the per-principal limit).
  app.useGlobalInterceptors(new PrincipalRateLimitInterceptor(limits));
  (app.getHttpServer() as Server).once('close', () => void limits.close());
  setupOpenApi(app);
  return app;
}
