import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type MediaTypeObject,
  type OpenAPIObject,
  type OperationObject,
} from '@nestjs/swagger';
import { componentSchemas } from './component-schemas';
import { HEALTH_EXAMPLES, SCHEMA_EXAMPLES, SCHEMA_EXAMPLE_SETS } from './examples';
import { completeProblemResponses } from './problem-responses';
import { BEARER_SCHEME } from './route-docs';

export const DOCS_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/openapi.json';

const DESCRIPTION = `
The one HTTP API of Tandem, an orders system built with CQRS: commands change state, reads come from read models
that follow the commands a few milliseconds behind.

**Idempotency keys.** Send \`Idempotency-Key: <uuid>\` with every command. Repeating a command with the same key and
body returns the first answer and writes nothing again (safe to retry after a timeout or a dropped connection);
the same key with a different body answers 422.

**Optimistic concurrency.** Commands on an existing order or customer accept \`If-Match: <version>\`: if the
aggregate has moved on since that version, the command answers 412 and writes nothing.

**Consistency tokens.** Every command answers \`{ id, version, consistencyToken }\`. Send the token as
\`X-Consistency-Token\` on a read to read your own write: the read waits (2 s by default, \`Prefer: wait=N\` up to
10 s) until the read model has applied it, then answers with \`X-Consistency: reached\`, or \`behind\` if it ran out
of time. It never passes stale data off as fresh.

**Freshness.** Every read carries \`X-Data-As-Of\`, the time of the last event its read model applied. Single
resources carry an \`ETag\`; send it in \`If-None-Match\` to get 304 when nothing changed.

**Authentication.** Every route but health and these documents needs \`Authorization: Bearer <access token>\`:
an OAuth 2.0 access token (JWT) from the OpenID provider the deployment trusts. Its roles decide what it may do:
\`customer\` registers itself once and then reaches only its own customer record and orders (another's answer 404,
lists hold only its own), \`staff\` reads everything and ships or cancels, \`admin\` operates the projections.
401 says the token is missing or not acceptable (\`WWW-Authenticate\` says why), 403 that its roles do not allow
the route. Consistency tokens are bound to the caller that got them.

**Problems.** Errors are RFC 9457 \`application/problem+json\` with a stable \`code\` (and \`type\`
\`urn:tandem:problem:<code>\`); switch on \`code\`, never on \`title\` or \`detail\`. 400 lists each bad field in
\`errors\`. 502 \`upstream.unavailable\` and 504 \`upstream.timeout\` come from the gateway itself.

**Money.** Amounts are whole minor units of the customer's currency (\`1999\` EUR = €19.99). A unit price, a
line (quantity × unit price), an order total and a credit limit are each at most 10^12 major units of the currency:
10^(12 + exponent) minor units (JPY 10^12, EUR 10^14, KWD 10^15), so they are exact JSON numbers. Sums over any
number of orders (\`lifetimeValue\`, the daily-sales totals) are decimal strings, exact at any size.

**Pagination.** Lists answer \`{ items, nextCursor }\`; pass \`nextCursor\` back as \`cursor\` until it is null.
`.trim();

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tandem API')
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'The gateway that serves this document')
    .setDescription(DESCRIPTION)
    .addTag('customers', 'Customers: registration, credit limits, the customer read model')
    .addTag('orders', 'Orders: the commands of an order’s life and the order summary read model')
    .addTag('reports', 'Reports from the read side: daily sales')
    .addTag('commands', 'What became of a command: rejected, committed, published, projected')
    .addTag('health', 'Probes for Kubernetes and load balancers; no token needed')
    .addTag('admin', 'Operators: projection status, rebuilds, dead letters')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An OAuth 2.0 access token (JWT, RFC 9068) from the OpenID provider the API trusts (AUTH_ISSUER), for ' +
          'the audience AUTH_AUDIENCE, with roles in the configured claim.',
      },
      BEARER_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...componentSchemas() },
  };
  documentHealth(document);
  markPublicOperations(document);
  completeProblemResponses(document);
  addExamples(document);
  return document;
}

/** Beside every request and answer body whose schema is a component: its example(s) from examples.ts. */
function addExamples(document: OpenAPIObject): void {
  const bodies: MediaTypeObject[] = [];
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as OperationObject[]) {
      const request = operation.requestBody;
      if (request && 'content' in request) bodies.push(...Object.values(request.content));
      for (const response of Object.values(operation.responses ?? {})) {
        if (response && 'content' in response && response.content)
          bodies.push(...Object.values(response.content));
      }
    }
  }
  for (const body of bodies) {
    const ref = body.schema && '$ref' in body.schema ? body.schema.$ref : undefined;
    const name = ref?.replace('#/components/schemas/', '');
    if (name === undefined || body.example !== undefined || body.examples !== undefined) continue;
    const set = SCHEMA_EXAMPLE_SETS[name];
    if (set) body.examples = set;
    else if (name in SCHEMA_EXAMPLES) body.example = SCHEMA_EXAMPLES[name as keyof typeof SCHEMA_EXAMPLES];
  }
}

/** A public operation says so (`security: []`), so that no operation is silent about what it needs. */
function markPublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as OperationObject[]) operation.security ??= [];
  }
}

/** The probes come from the platform's health module, which knows nothing of OpenAPI: their answers, here. */
function documentHealth(document: OpenAPIObject): void {
  const probe = (path: string, summary: string, responses: OperationObject['responses']) => {
    const operation = document.paths[path]?.get;
    if (!operation) return;
    operation.tags = ['health'];
    operation.summary = summary;
    operation.responses = responses;
  };
  const json = (description: string, example: unknown) => ({
    description,
    content: { 'application/json': { schema: { type: 'object' as const }, example } },
  });
  probe('/health/live', 'Liveness: the process answers', { 200: json('Alive', HEALTH_EXAMPLES.live) });
  probe('/health/ready', 'Readiness: every service behind the gateway answers its liveness probe', {
    200: json('Ready', HEALTH_EXAMPLES.ready),
    503: json('Not ready: `checks` says which service did not answer', HEALTH_EXAMPLES.notReady),
  });
}

/** Swagger UI at /api/docs and the document at /api/openapi.json (the document is built once, at start). */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Tandem API',
  });
  return document;
}
