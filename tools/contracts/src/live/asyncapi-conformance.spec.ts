import { asyncApiDocument, EVENT_TOPICS, TOPIC_EVENTS } from '@tandem/contracts';
import { checkConformance } from './asyncapi-conformance';
import type { SeenMessage } from './topic-reader';

/** The comparison the e2e conformance test makes, fed with the document's own captured examples. */
const document = asyncApiDocument();
type Examples = Array<{ summary: string; headers: Record<string, string>; payload: Record<string, unknown> }>;
const messages = (document['components'] as { messages: Record<string, { examples: Examples }> }).messages;
// Each example on every topic that carries its version (OrderCreated.v1 on both order topics).
const seen: SeenMessage[] = EVENT_TOPICS.flatMap((topic) =>
  TOPIC_EVENTS[topic].map((definition) => ({ topic, definition })),
).map(({ topic, definition }, i) => {
  const [example] = messages[`${definition.name}V${definition.version}`]?.examples ?? [];
  if (!example) throw new Error(`no example of ${definition.type}`);
  return {
    topic,
    partition: 0,
    offset: String(i),
    key: example.headers['ce_subject'] ?? '',
    headers: example.headers,
    payload: example.payload,
  };
});

it('accepts the captured examples, missing only the enum value that no single example shows', () => {
  expect(checkConformance(document, seen)).toEqual({
    undocumented: [],
    neverSeen: [
      expect.stringMatching(/^tandem\.orders\.OrderCancelled\.v1: previousStatus = "(draft|placed)"$/),
    ],
  });
});

it('names an undocumented header, type, topic or payload, and what was never published', () => {
  const [first, ...rest] = seen;
  if (!first) throw new Error('no examples');
  const broken: SeenMessage[] = [
    { ...first, headers: { ...first.headers, 'x-tenant': 'a' } },
    { ...first, headers: { ...first.headers, ce_type: 'tandem.orders.OrderArchived.v1' } },
    { ...first, topic: 'orders.invoice.v1' },
    { ...first, payload: { ...(first.payload as object), orderId: 42 } },
    ...rest.filter((m) => m.headers['ce_type'] !== 'tandem.orders.OrderShipped.v1'),
  ];
  const result = checkConformance(document, broken);
  expect(result.undocumented).toEqual([
    'orders.order.v1 0@0 tandem.orders.OrderCreated.v1: headers data must NOT have additional properties',
    'orders.order.v1 0@0 tandem.orders.OrderCreated.v1: payload data/orderId must be string',
    'orders.order.v1 0@0: type tandem.orders.OrderArchived.v1 is not a message of channel orders.order.v1',
    'tandem.orders.OrderCreated.v1: header x-tenant is not documented',
    'topic orders.invoice.v1 is not a channel of the document',
  ]);
  expect(result.neverSeen).toContain('tandem.orders.OrderShipped.v1 on orders.order.v1: never published');
});
