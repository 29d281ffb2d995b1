import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { EVENT_TOPICS, type AsyncApiDocument } from '@tandem/contracts';
import {
  checkConformance,
  runEveryEventScenario,
  startTraceSink,
  TopicReader,
  tracingEnv,
} from '@tandem/contract-tools';
import { topicNames } from '@tandem/platform/kafka';
import { waitFor } from '@tandem/platform/testing';
import { ROOT, startE2eStack, type E2eStack } from './support';

/**
 * The published AsyncAPI document (docs/asyncapi.yaml, as committed) against what the running system really
 * publishes: every event a scenario makes it send, read back from Kafka. No undocumented topic, type or header, every
 * payload valid for its schema; and no documented message, header, payload property or enum value that never
 * appears. Tracing is on, so that the optional ce_traceparent is sent too.
 */
describe('the AsyncAPI document and the events the system publishes', () => {
  let e2e: E2eStack;
  let sink: Awaited<ReturnType<typeof startTraceSink>>;
  let reader: TopicReader;
  const document = parse(readFileSync(path.join(ROOT, 'docs/asyncapi.yaml'), 'utf8')) as AsyncApiDocument;
  const documentedTypes = Object.values(
    (document['components'] as { messages: Record<string, { name: string }> }).messages,
  ).map((m) => m.name);

  beforeAll(async () => {
    sink = await startTraceSink();
    e2e = await startE2eStack('asyncapi_conformance', tracingEnv(sink.url));
    reader = await TopicReader.start(
      e2e.kafka.bootstrap,
      EVENT_TOPICS.map((topic) => e2e.kafka.topic(topic)),
      e2e.kafka.group('asyncapi-conformance'),
    );
  }, 180_000);

  afterAll(async () => {
    await reader?.stop();
    await e2e?.stop();
    await sink?.close();
  }, 60_000);

  it('say the same: nothing undocumented, nothing documented that never appears', async () => {
    const scenario = await runEveryEventScenario(e2e.api, {
      customer: { ...(await e2e.authAs('customer1')), email: 'customer1@example.com' },
      staff: await e2e.authAs('staff1'),
    });
    await waitFor(
      () =>
        reader.messages.length >= scenario.messages &&
        documentedTypes.every((type) => reader.messages.some((m) => m.headers['ce_type'] === type)),
      { timeoutMs: 60_000, what: `every documented message type (seen ${reader.messages.length})` },
    );
    const names = topicNames(e2e.kafka.prefix);
    const result = checkConformance(document, reader.messages, (topic) => names.inContract(topic));
    expect(result.undocumented).toEqual([]);
    expect(result.neverSeen).toEqual([]);
    expect(reader.messages.every((m) => m.headers['ce_traceparent'] !== undefined)).toBe(true);
  });
});
