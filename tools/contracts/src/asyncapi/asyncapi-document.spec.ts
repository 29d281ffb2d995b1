import { Parser, type Diagnostic } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  asyncApiDocument,
  channelId,
  defineEvent,
  EVENT_TOPICS,
  messageId,
  ORDER_TOPIC,
  ORDER_TOPIC_V1,
  ORDER_TOPIC_V1_DEPRECATION,
  PUBLISHED_EVENTS,
  toKafkaHeaders,
  TOPIC_EVENTS,
  TOPICS,
  type AsyncApiDocument,
} from '@tandem/contracts';
import { ASYNCAPI_FILE } from './asyncapi-yaml';

/**
 * docs/asyncapi.yaml: generated from libs/contracts, valid for the AsyncAPI parser, and saying what the code sends.
 * (That it matches the messages a running system publishes is e2e/src/asyncapi-conformance.e2e-spec.ts.)
 */
const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Diagnostics we accept, by code, and why. Everything else (any error, any other warning) fails.
 * - asyncapi-latest-version (info): the issue asks for AsyncAPI 3.0; 3.1 is a newer minor the parser recommends.
 */
const ACCEPTED: Record<string, string> = {
  'asyncapi-latest-version': 'AsyncAPI 3.0 is the version the contract is published in',
};

async function diagnosticsOf(document: unknown): Promise<Diagnostic[]> {
  const parser = new Parser();
  const { diagnostics } = await parser.parse(JSON.stringify(document));
  return diagnostics;
}

const unaccepted = (diagnostics: Diagnostic[]): string[] =>
  diagnostics
    .filter((d) => !(String(d.code) in ACCEPTED))
    .map((d) => `${d.severity} ${String(d.code)} ${d.path.join('.')}: ${d.message}`);

interface Message {
  name: string;
  headers: { properties: Record<string, unknown>; required: string[] };
  payload: Record<string, unknown>;
  examples?: Array<{ headers: Record<string, string>; payload: unknown }>;
}
const messagesOf = (document: AsyncApiDocument): Record<string, Message> =>
  (document['components'] as { messages: Record<string, Message> }).messages;

describe('the AsyncAPI document', () => {
  const committed = parse(readFileSync(path.join(ROOT, ASYNCAPI_FILE), 'utf8')) as AsyncApiDocument;

  it('is up to date (else: npm run docs:asyncapi)', () => {
    // In a process of its own: Prettier, which formats the file, needs ES modules that this test runner does not load.
    expect(() =>
      execFileSync(
        process.execPath,
        ['-r', '@swc-node/register', 'tools/contracts/src/cli.ts', 'asyncapi', '--check'],
        {
          cwd: ROOT,
          stdio: 'pipe',
        },
      ),
    ).not.toThrow();
    expect(committed).toEqual(JSON.parse(JSON.stringify(asyncApiDocument())));
  });

  it('validates with the AsyncAPI parser: no error, no warning but the accepted ones', async () => {
    const diagnostics = await diagnosticsOf(committed);
    expect(unaccepted(diagnostics)).toEqual([]);
  }, 60_000);

  it('has one channel per topic, addressed by the topic, and one message per published event version', () => {
    const channels = committed['channels'] as Record<
      string,
      { address: string; messages: Record<string, unknown> }
    >;
    expect(Object.values(channels).map((c) => c.address)).toEqual([...EVENT_TOPICS]);
    for (const definition of PUBLISHED_EVENTS) {
      // A definition's `topic` is where it is current (OrderLineAdded.v1: the deprecated orders.order.v1).
      expect(Object.keys(channels[channelId(definition.topic)]?.messages ?? {})).toContain(
        messageId(definition),
      );
      expect(messagesOf(committed)[messageId(definition)]?.name).toBe(definition.type);
    }
  });

  it('documents exactly the headers the outbox relay sets, and validates them', () => {
    const ajv = addFormats(new Ajv({ strict: false }));
    const sent = toKafkaHeaders({
      id: '6f1c0d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
      type: 'tandem.orders.OrderPlaced.v1',
      source: '/tandem/command-service',
      subject: '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10',
      time: '2026-11-29T10:00:00.000Z',
      streamVersion: 3,
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    const headers = messagesOf(committed)['OrderPlacedV1']?.headers;
    expect(Object.keys(headers?.properties ?? {}).sort()).toEqual(Object.keys(sent).sort());
    expect(ajv.validate(headers ?? {}, sent)).toBe(true);
    const { ce_traceparent: _optional, ...untraced } = sent;
    expect(ajv.validate(headers ?? {}, untraced)).toBe(true);
    expect(ajv.validate(headers ?? {}, { ...untraced, ce_type: 'tandem.orders.OrderShipped.v1' })).toBe(
      false,
    );
    expect(ajv.validate(headers ?? {}, { ...sent, 'x-undocumented': 'no' })).toBe(false);
  });

  it('gives every message an example captured from a real run, valid for its schemas', () => {
    const ajv = addFormats(new Ajv({ strict: false }));
    for (const [id, message] of Object.entries(messagesOf(committed))) {
      const example = message.examples?.[0];
      if (!example) throw new Error(`${id} has no example: run \`npm run docs:asyncapi -- --capture\``);
      expect({ id, headers: ajv.validate(message.headers, example.headers) }).toEqual({ id, headers: true });
      expect({ id, payload: ajv.validate(message.payload, example.payload) }).toEqual({ id, payload: true });
    }
  });

  it('lists on each order topic the versions it carries, and the old topic’s deprecation and sunset', () => {
    const channels = committed['channels'] as Record<string, Record<string, unknown>>;
    const messages = (id: string) => Object.keys(channels[id]?.['messages'] ?? {});
    expect(messages('ordersOrderV2')).toEqual(TOPIC_EVENTS[ORDER_TOPIC].map(messageId));
    expect(messages('ordersOrderV2')).toEqual(expect.arrayContaining(['OrderCreatedV1', 'OrderLineAddedV2']));
    expect(messages('ordersOrderV2')).not.toContain('OrderLineAddedV1');
    expect(messages('ordersOrderV1')).toEqual(TOPIC_EVENTS[ORDER_TOPIC_V1].map(messageId));
    expect(messages('ordersOrderV1')).not.toContain('OrderLineAddedV2');
    expect(channels['ordersOrderV1']).toMatchObject({
      'x-deprecated': true,
      'x-sunset': ORDER_TOPIC_V1_DEPRECATION.sunset,
      'x-replaced-by': ORDER_TOPIC,
    });
    expect(channels['ordersOrderV1']?.['description']).toContain(
      `published until ${ORDER_TOPIC_V1_DEPRECATION.sunset}`,
    );
    expect(channels['ordersOrderV2']?.['x-deprecated']).toBeUndefined();
    expect(channels['ordersCustomerV1']?.['x-deprecated']).toBeUndefined();
    const bindings = (id: string) => (channels[id]?.['bindings'] as { kafka: { partitions: number } }).kafka;
    expect(bindings('ordersOrderV2').partitions).toBe(bindings('ordersOrderV1').partitions);
  });

  it('renders a further major version on a topic of its own (a fixture)', async () => {
    const OrderPlacedV2 = defineEvent({
      name: 'OrderPlaced',
      version: 2,
      topic: 'orders.order.v3' as (typeof EVENT_TOPICS)[number],
      description: 'A fixture: the placed order with its lines.',
      schema: z.object({ orderId: z.uuid(), lines: z.array(z.object({ sku: z.string() })) }).strict(),
    });
    const document = asyncApiDocument({
      topics: {
        ...TOPICS,
        'orders.order.v3': { ...TOPICS[ORDER_TOPIC], deprecation: undefined },
      },
      events: [...PUBLISHED_EVENTS, OrderPlacedV2],
    });
    const channels = document['channels'] as Record<string, Record<string, unknown>>;
    expect(channels['ordersOrderV3']?.['address']).toBe('orders.order.v3');
    expect(Object.keys(channels['ordersOrderV3']?.['messages'] ?? {})).toEqual(['OrderPlacedV2']);
    expect(unaccepted(await diagnosticsOf(document))).toEqual([]);
  }, 60_000);

  it('is refused by the parser when it is broken (the validation can fail)', async () => {
    const broken = JSON.parse(JSON.stringify(committed)) as AsyncApiDocument;
    (broken['channels'] as Record<string, Record<string, unknown>>)['ordersOrderV1']!['messages'] =
      'everything';
    expect((await diagnosticsOf(broken)).some((d) => d.severity === 0)).toBe(true);
  }, 60_000);
});
