import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@tandem/platform/testing';
import { call, startE2eStack, type E2eStack } from './support';

/** One span as OTLP/JSON encodes it (ids in hex), with the `service.name` of the resource that sent it. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttribute[];
        links?: Array<{ traceId: string; spanId: string }>;
      }>;
    }>;
  }>;
}

const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

/** An OTLP/HTTP receiver, the part of a collector the SDK talks to: POST /v1/traces with a JSON body. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  requests = 0;
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests++;
        // Only JSON is decoded; any other export (protobuf from an SDK on its defaults) is still counted above.
        const json = request.headers['content-type']?.startsWith('application/json') ?? false;
        if (request.method !== 'POST' || request.url !== '/v1/traces' || !json) {
          response.writeHead(request.url === '/v1/traces' ? 415 : 404).end();
          return;
        }
        this.take(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  inTrace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  private take(body: OtlpExport): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            attributes: attributesOf(span.attributes),
            links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
          });
        }
      }
    }
  }
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) {
    out[key] = value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
  }
  return out;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** What the frontend would send: a span of its own trace, so that both of its requests land in one trace. */
function frontendSpan(traceId: string): { spanId: string; traceparent: string } {
  const spanId = hex(8);
  return { spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

async function createOrderAndRead(
  api: string,
  traceId: string,
): Promise<{ orderId: string; commandSpan: string; readSpan: string; traceresponse: string | null }> {
  const customer = await call('POST', `${api}/customers`, {
    body: { name: 'Ada', email: `ada+${hex(4)}@example.com`, currency: 'EUR', creditLimit: 100_000 },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(customer.status).toBe(201);
  const command = frontendSpan(traceId);
  const created = await call('POST', `${api}/orders`, {
    body: { customerId: (customer.body as { id: string }).id },
    headers: { 'idempotency-key': randomUUID(), traceparent: command.traceparent },
  });
  expect(created.status).toBe(201);
  const order = created.body as { id: string; consistencyToken: string };
  const read = frontendSpan(traceId);
  const answer = await call('GET', `${api}/orders/${order.id}`, {
    headers: {
      'x-consistency-token': order.consistencyToken,
      prefer: 'wait=10',
      traceparent: read.traceparent,
    },
  });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('x-consistency')).toBe('reached');
  return {
    orderId: order.id,
    commandSpan: command.spanId,
    readSpan: read.spanId,
    traceresponse: created.headers.get('traceresponse'),
  };
}

/**
 * Tracing end to end (issue 16, must-show 1): the four services as processes, exporting by OTLP/HTTP to a receiver
 * in this test. One command's trace holds the gateway's, the command service's, the relay's, the projections' and
 * the query's spans, each the child of the one before; with the `OTEL_*` endpoint unset, nothing is exported.
 */
describe('OpenTelemetry traces', () => {
  describe('with an OTLP endpoint', () => {
    let e2e: E2eStack;
    const receiver = new OtlpReceiver();

    beforeAll(async () => {
      const endpoint = await receiver.listen();
      e2e = await startE2eStack('e2e_otel', {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
    }, 150_000);

    afterAll(async () => {
      await e2e?.stop();
      await receiver.close();
    }, 60_000);

    it('follows one command from the gateway through Kafka to the read model, and its read', async () => {
      const traceId = hex(16);
      const { orderId, commandSpan, readSpan, traceresponse } = await createOrderAndRead(e2e.api, traceId);

      const byKind = (service: string, kind: number): ReceivedSpan[] =>
        receiver.inTrace(traceId).filter((span) => span.service === service && span.kind === kind);
      // Every span has arrived once each service's are there and none is missing its parent (but the frontend's).
      await waitFor(
        () => {
          const all = receiver.inTrace(traceId);
          const ids = new Set(all.map((span) => span.spanId));
          return (
            byKind('gateway', SPAN_KIND.SERVER).length === 2 &&
            byKind('command-service', SPAN_KIND.PRODUCER).length > 0 &&
            byKind('projection-service', SPAN_KIND.CONSUMER).length >= 2 &&
            all.some((span) => span.name === 'wait for consistency token') &&
            all.filter((span) => !ids.has(span.parentSpanId)).length === 2
          );
        },
        { timeoutMs: 30_000, what: 'every span of the command and of its read' },
      );
      const spans = receiver.inTrace(traceId);
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      const parentOf = (span: ReceivedSpan): ReceivedSpan | undefined => byId.get(span.parentSpanId);
      const describe = (span: ReceivedSpan | undefined): string =>
        span ? `${span.service}:${span.name}` : '(none)';

      // Correctly parented: every span's parent is in the trace, but the gateway's two, children of the frontend.
      const orphans = spans.filter((span) => !byId.has(span.parentSpanId));
      expect(orphans.map((span) => [span.service, span.kind, span.parentSpanId]).sort()).toEqual(
        [
          ['gateway', SPAN_KIND.SERVER, commandSpan],
          ['gateway', SPAN_KIND.SERVER, readSpan],
        ].sort(),
      );

      // The command: gateway server → gateway client → command-service server (its queries below it).
      const gatewayServer = spans.find((s) => s.parentSpanId === commandSpan);
      expect(gatewayServer).toMatchObject({ service: 'gateway', name: 'POST /api/orders' });
      expect(traceresponse).toBe(`00-${traceId}-${gatewayServer?.spanId}-01`);
      const commandServer = byKind('command-service', SPAN_KIND.SERVER);
      expect(commandServer).toHaveLength(1);
      const [commandHttp] = commandServer;
      const forwarded = parentOf(commandHttp as ReceivedSpan);
      expect(describe(forwarded)).toMatch(/^gateway:/);
      expect(forwarded?.kind).toBe(SPAN_KIND.CLIENT);
      expect(forwarded?.parentSpanId).toBe(gatewayServer?.spanId);
      const commandQueries = spans.filter(
        (s) =>
          s.service === 'command-service' &&
          s.kind === SPAN_KIND.CLIENT &&
          s.attributes['db.system.name'] === 'postgresql',
      );
      expect(commandQueries.length).toBeGreaterThan(0);

      // The relay, long after the request: a send span per topic (the deprecated orders.order.v1 and its
      // successor), each the child of the command service's span.
      const sends = byKind('command-service', SPAN_KIND.PRODUCER);
      expect(sends.map((span) => String(span.attributes['messaging.destination.name'])).sort()).toEqual([
        expect.stringMatching(/orders\.order\.v1$/),
        expect.stringMatching(/orders\.order\.v2$/),
      ]);
      for (const span of sends) {
        expect(span.parentSpanId).toBe(commandHttp?.spanId);
        expect(span.attributes).toMatchObject({
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.kafka.message.key': orderId,
        });
      }
      // The projections read orders.order.v2: their spans follow on from that send.
      const send = sends.find((span) =>
        /orders\.order\.v2$/.test(String(span.attributes['messaging.destination.name'])),
      );

      // The projections that read the order topic: a process span each, the child of the send span, linked to
      // the batch span (another trace) under which the read-DB transaction's queries ran.
      const processed = byKind('projection-service', SPAN_KIND.CONSUMER);
      expect(new Set(processed.map((s) => s.attributes['messaging.consumer.group.name'])).size).toBe(
        processed.length,
      );
      for (const span of processed) {
        expect(span.parentSpanId).toBe(send?.spanId);
        expect(span.attributes).toMatchObject({
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': 'orders.order.v2',
          'messaging.kafka.message.key': orderId,
          'messaging.destination.partition.id': expect.any(String),
          'messaging.kafka.offset': expect.anything(),
        });
        expect(span.links).toHaveLength(1);
        const batchId = span.links[0]?.spanId;
        const batch = receiver.spans.find((s) => s.spanId === batchId);
        expect(batch).toMatchObject({ service: 'projection-service', kind: SPAN_KIND.CONSUMER });
        expect(batch?.links).toContainEqual({ traceId, spanId: send?.spanId });
        expect(
          receiver.spans.some(
            (s) => s.parentSpanId === batchId && s.attributes['db.system.name'] === 'postgresql',
          ),
        ).toBe(true);
      }

      // The read with the token: gateway → query service, whose wait for the projection is a span of its own.
      const wait = spans.find((s) => s.name === 'wait for consistency token');
      expect(wait).toMatchObject({ service: 'query-service', kind: SPAN_KIND.INTERNAL });
      expect(wait?.attributes['tandem.consistency.outcome']).toBe('reached');
      const queryServer = parentOf(wait as ReceivedSpan);
      expect(queryServer).toMatchObject({ service: 'query-service', kind: SPAN_KIND.SERVER });
      const gatewayClient = parentOf(queryServer as ReceivedSpan);
      expect(gatewayClient).toMatchObject({ service: 'gateway', kind: SPAN_KIND.CLIENT });
      expect(parentOf(gatewayClient as ReceivedSpan)?.parentSpanId).toBe(readSpan);

      // Probes and scrapes are not traced.
      expect(receiver.spans.filter((s) => /health|metrics/.test(s.name))).toEqual([]);
    }, 60_000);
  });

  describe('with OTEL_* unset', () => {
    let e2e: E2eStack;
    const receiver = new OtlpReceiver();

    beforeAll(async () => {
      // On the OTLP default port when it is free: an SDK started with its defaults would send here.
      await receiver.listen(4318).catch(() => receiver.listen());
      e2e = await startE2eStack('e2e_otel_off', {
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
    }, 150_000);

    afterAll(async () => {
      await e2e?.stop();
      await receiver.close();
    }, 60_000);

    it('exports no span, and still propagates the caller’s trace', async () => {
      const traceId = hex(16);
      const { traceresponse } = await createOrderAndRead(e2e.api, traceId);
      expect(traceresponse).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      // Several export delays: anything a started SDK had buffered would have been sent by now.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(receiver.requests).toBe(0);
    }, 60_000);

    it('serves the metrics on the management port: requests per route and status, the relay and projection gauges', async () => {
      const metrics = async (app: 'gateway' | 'command-service' | 'projection-service'): Promise<string> =>
        (await call('GET', e2e.stack.metricsUrls[app])).body as string;
      /** The value of the sample of `name` that has all of `labels` (in any order), if there is one. */
      const sample = (text: string, name: string, labels: Record<string, string>): number | undefined => {
        const line = text
          .split('\n')
          .find(
            (l) =>
              l.startsWith(`${name}{`) &&
              Object.entries(labels).every(([label, value]) => l.includes(`${label}="${value}"`)),
          );
        return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
      };
      const gateway = await metrics('gateway');
      const created = { method: 'POST', route: '/api/orders', status: '201' };
      expect(sample(gateway, 'http_request_duration_seconds_count', created)).toBeGreaterThanOrEqual(1);
      const read = { method: 'GET', route: '/api/orders/:id', status: '200', le: '+Inf' };
      expect(sample(gateway, 'http_request_duration_seconds_bucket', read)).toBeGreaterThanOrEqual(1);
      const command = await metrics('command-service');
      expect(sample(command, 'outbox_relay_active', {})).toBe(1);
      expect(sample(command, 'outbox_relay_oldest_unpublished_age_seconds', {})).toBeGreaterThanOrEqual(0);
      const projection = await metrics('projection-service');
      const orderSummary = { projection: 'order-summary' };
      expect(sample(projection, 'projection_last_event_timestamp_seconds', orderSummary)).toBeGreaterThan(
        Date.now() / 1000 - 300,
      );
      expect(sample(projection, 'projection_lag_messages', orderSummary)).toBe(0);
      expect(sample(projection, 'projection_failing', orderSummary) ?? 0).toBe(0);
    }, 30_000);
  });
});
