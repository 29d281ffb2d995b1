import type { INestApplication } from '@nestjs/common';
import { assertEveryRouteDeclaresAccess } from '@tandem/platform/auth';
import { createHttpApp } from '@tandem/platform/http';
import type { Logger } from '@tandem/platform/observability';
import { createAppModule } from './app.module';
import type { GatewayConfig } from './config';
import { setupOpenApi } from './openapi/openapi';

/** The gateway application, ready to listen: used by main.ts and by the tests that boot it in-process. */
export async function createGateway(config: GatewayConfig, logger: Logger): Promise<INestApplication> {
  const app = await createHttpApp(createAppModule(config), logger);
  assertEveryRouteDeclaresAccess(app);
  setupOpenApi(app);
  return app;
}
