import { EVENT_TOPICS, PUBLISHED_EVENTS, type CapturedEvent } from '@tandem/contracts';
import { startStack } from '@tandem/dev-stack';
import { waitFor } from '@tandem/platform/testing';
import { runEveryEventScenario } from '../live/every-event-scenario';
import { startTraceSink, TopicReader, tracingEnv, type SeenMessage } from '../live/topic-reader';

export const EXAMPLES_FILE = 'libs/contracts/src/asyncapi/event-examples.json';

/**
 * Runs the whole system (`npm start`'s embedded broker and databases, tracing on), drives every event through the
 * gateway and keeps one real message of each published event version: the examples of the AsyncAPI document.
 */
export async function captureExamples(log: (line: string) => void): Promise<Record<string, CapturedEvent>> {
  const sink = await startTraceSink();
  const stack = await startStack({
    brokerPort: 0,
    ports: { gateway: 0, 'command-service': 0, 'query-service': 0, 'projection-service': 0 },
    env: { LOG_LEVEL: 'warn', TOPIC_PARTITIONS: '3', ...tracingEnv(sink.url) },
    output: log,
  });
  try {
    const reader = await TopicReader.start(stack.kafkaBrokers, [...EVENT_TOPICS]);
    try {
      await runEveryEventScenario(`${stack.gatewayUrl}/api`, {
        customer: {
          authorization: `Bearer ${await stack.tokenFor('customer1')}`,
          email: 'customer1@example.com',
        },
        staff: { authorization: `Bearer ${await stack.tokenFor('staff1')}` },
      });
      const ofType = (type: string): SeenMessage[] =>
        reader.messages.filter((m) => m.headers['ce_type'] === type);
      await waitFor(() => PUBLISHED_EVENTS.every((d) => ofType(d.type).length > 0), {
        timeoutMs: 60_000,
        what: 'one message of every published event version',
      });
      return Object.fromEntries(
        PUBLISHED_EVENTS.map((definition) => {
          // The one with the most headers: a traced one, so that the example shows ce_traceparent too.
          const [best] = ofType(definition.type).sort(
            (a, b) => Object.keys(b.headers).length - Object.keys(a.headers).length,
          );
          if (!best) throw new Error(`no ${definition.type} was seen`);
          return [
            definition.type,
            { key: best.key, headers: best.headers, payload: best.payload as Record<string, unknown> },
          ];
        }),
      );
    } finally {
      await reader.stop();
    }
  } finally {
    await stack.stop();
    await sink.close();
  }
}
