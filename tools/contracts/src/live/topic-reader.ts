import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

/** One message as it was on the cluster: where, its key, every header (as text) and its value parsed as JSON. */
export interface SeenMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  headers: Record<string, string>;
  payload: unknown;
}

/**
 * Reads topics from their beginning with a group of its own and keeps every message, until `stop()`. `topics`
 * are the cluster's names.
 */
export class TopicReader {
  readonly messages: SeenMessage[] = [];
  private readonly consumer: Consumer;

  private constructor(kafka: Kafka, group: string) {
    this.consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  }

  static async start(
    brokers: string,
    topics: string[],
    group = `contract-tools.reader-${randomUUID()}`,
  ): Promise<TopicReader> {
    const kafka = new Kafka({
      clientId: 'contract-tools',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const reader = new TopicReader(kafka, group);
    await reader.consumer.connect();
    await reader.consumer.subscribe({ topics, fromBeginning: true });
    await reader.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          const first = Array.isArray(value) ? value[0] : value;
          if (first !== undefined) headers[name] = first.toString();
        }
        const text = message.value?.toString() ?? '';
        let payload: unknown = text;
        try {
          payload = JSON.parse(text);
        } catch {
          // not JSON: kept as text, which the checks then refuse
        }
        reader.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          headers,
          payload,
        });
      },
    });
    return reader;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/**
 * An OTLP/HTTP endpoint that accepts every export and keeps nothing: with tracing on, the services put a
 * `ce_traceparent` on every event, so that header is seen too.
 */
export async function startTraceSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The services' environment that turns tracing on, exporting to `url`. */
export const tracingEnv = (url: string): Record<string, string> => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: url,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
  OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  OTEL_BSP_SCHEDULE_DELAY: '100',
});
