import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { asyncApiDocument, PUBLIC, type AsyncApiDocument } from '@tandem/contracts';
import { RouteAccess } from '@tandem/platform/http';

/**
 * The event contract beside the HTTP one: the AsyncAPI 3.0 document of Tandem's Kafka events (docs/asyncapi.yaml),
 * built from libs/contracts once, at start. Public, like /api/openapi.json.
 */
@ApiExcludeController()
@RouteAccess(PUBLIC)
@Controller('api')
export class AsyncApiController {
  private readonly document = asyncApiDocument();

  @Get('asyncapi.json')
  @Header('cache-control', 'public, max-age=300')
  asyncApi(): AsyncApiDocument {
    return this.document;
  }
}
