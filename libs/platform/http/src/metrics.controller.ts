import { Controller, Get, Header } from '@nestjs/common';
import { PUBLIC } from '@tandem/contracts';
import { metricsRegistry } from '@tandem/platform/observability';
import { RouteAccess } from './route-access';

// Kept out of the OpenAPI document by the gateway, which builds it: the services need not load Swagger (half a
// second of their start).
@Controller('metrics')
@RouteAccess(PUBLIC)
export class MetricsController {
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
