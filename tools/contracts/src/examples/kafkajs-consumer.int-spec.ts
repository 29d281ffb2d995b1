import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toKafkaHeaders, type EventEnvelope, type ConsumedEvent } from '@tandem/contracts';
import { createKafka, ensureTopics, eventTopicSpecs, topicNames } from '@tandem/platform/kafka';
import { createLogger } from '@tandem/platform/observability';
import { startTestKafka, waitFor, type TestKafka } from '@tandem/platform/testing';
import { EVENT_SOURCE, KafkaOutboxPublisher, type OutboxMessage } from '@tandem/write/persistence';

/**
 * The consumer package as another team gets it: built (`npm run build:contracts`), packed (`npm pack`), installed
 * into a project of its own, imported from CommonJS and ES modules, type-checked; then the kafkajs example consumer
 * (examples/consumers/kafkajs) reads a live stream that the command service's own outbox publisher sends to Kafka.
 */
jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../../..');
const EXAMPLE = path.join(ROOT, 'examples/consumers/kafkajs');
const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string =>
  // No colours: the output is compared as text (npm test sets FORCE_COLOR for its own output).
  execFileSync(command, args, {
    cwd,
    env: { ...env, FORCE_COLOR: '0', NO_COLOR: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let project: string;
let kafka: TestKafka;
let consumer: ChildProcess | undefined;
const lines: Array<Record<string, unknown>> = [];
let stderr = '';

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'tandem-contracts-consumer-'));
  run(process.execPath, ['tools/build/build-contracts-package.mjs'], ROOT);
  run('npm', ['pack', 'dist/packages/contracts', '--pack-destination', project, '--silent'], ROOT);
  const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack made no tarball');
  copyFileSync(path.join(EXAMPLE, 'orders-consumer.mjs'), path.join(project, 'orders-consumer.mjs'));
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  run(
    'npm',
    [
      'install',
      `./${tarball}`,
      'kafkajs@2.2.4',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
    ],
    project,
  );
  kafka = await startTestKafka('kafkajs_consumer_example');
});

afterAll(async () => {
  consumer?.kill('SIGKILL');
  await kafka?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

it('installs from the tarball with zod alone, and imports from CommonJS and ES modules', () => {
  const cjs = run(
    process.execPath,
    [
      '-e',
      "const c = require('@tandem/contracts'); console.log(typeof c.EventDecoder, c.PUBLISHED_EVENTS.length)",
    ],
    project,
  );
  expect(cjs.trim()).toBe('function 9');
  const esm = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { EventDecoder, CONTRACT_VERSION } from '@tandem/contracts'; console.log(typeof EventDecoder, CONTRACT_VERSION)",
    ],
    project,
  );
  expect(esm.trim()).toMatch(/^function \d+\.\d+\.\d+$/);
  // The NestJS entry needs its peers, which this project does not have (the workspace's stand in for them); it
  // shares the main entry's module, so one registry serves both.
  const nest = run(
    process.execPath,
    ['-e', "const n = require('@tandem/contracts/nest'); console.log(typeof n.KafkaEventTransport)"],
    project,
    { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  );
  expect(nest.trim()).toBe('function');
  expect(readdirSync(path.join(project, 'node_modules/@tandem/contracts/schemas/released')).length).toBe(9);
});

it('type-checks a consumer written against the installed declarations', () => {
  writeFileSync(
    path.join(project, 'check.ts'),
    [
      "import { EventDecoder, type OrderPlaced, type DecodeResult } from '@tandem/contracts';",
      'const result: DecodeResult<OrderPlaced> = new EventDecoder().decode<OrderPlaced>({ value: null });',
      'export const total: number | undefined = result.ok ? result.event.data.total : undefined;',
    ].join('\n'),
  );
  expect(() =>
    run(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--skipLibCheck',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--types',
        'node',
        '--typeRoots',
        path.join(ROOT, 'node_modules/@types'),
        'check.ts',
      ],
      project,
    ),
  ).not.toThrow();
});

it('runs the kafkajs example consumer on a live stream from the outbox publisher, dead-lettering what it cannot read', async () => {
  const names = topicNames(kafka.prefix);
  const client = createKafka({
    clientId: 'example-test',
    brokers: [kafka.bootstrap],
    logger: createLogger('t', 'silent'),
  });
  await ensureTopics(client, eventTopicSpecs({ names, partitions: 2 }));
  const group = kafka.group('example-team.orders');
  consumer = spawn(
    process.execPath,
    ['orders-consumer.mjs', kafka.bootstrap, names.onCluster('orders.order.v1'), group],
    {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let pending = '';
  consumer.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete)
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  consumer.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(() => stderr.includes('subscribed'), {
    timeoutMs: 30_000,
    what: `the consumer to start (${stderr})`,
  });

  const orderId = randomUUID();
  const customerId = randomUUID();
  // As orders.order.v1 carries them: OrderLineAdded.v1. Without its order's currency the decoder hands it over as v1.
  const events: ConsumedEvent[] = [
    { type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } },
    { type: 'OrderLineAdded', data: { orderId, sku: 'BOOK-1', quantity: 2, unitPrice: 1999 } },
    { type: 'OrderPlaced', data: { orderId, customerId, total: 3998, currency: 'EUR' } },
  ];
  const envelope = (event: ConsumedEvent, streamVersion: number): EventEnvelope => ({
    id: randomUUID(),
    type: `tandem.orders.${event.type}.v1`,
    source: EVENT_SOURCE,
    subject: orderId,
    time: new Date().toISOString(),
    streamVersion,
    correlationId: 'example-test',
    causationId: randomUUID(),
  });
  const publisher = new KafkaOutboxPublisher(client, names);
  const messages: OutboxMessage[] = events.map((event, i) => ({
    position: String(i + 1),
    topic: 'orders.order.v1',
    key: orderId,
    envelope: envelope(event, i + 1),
    payload: event.data,
  }));
  // Live: the consumer is already reading when the events are published, one batch after the other.
  await publisher.publish(messages.slice(0, 2));
  await waitFor(() => lines.length >= 2, { timeoutMs: 30_000, what: 'the first two events' });
  await publisher.publish(messages.slice(2));
  // A newer major version than this package knows, from a producer that does not validate.
  const raw = client.producer();
  await raw.connect();
  await raw.send({
    topic: names.onCluster('orders.order.v1'),
    messages: [
      {
        key: orderId,
        value: '{}',
        headers: toKafkaHeaders({
          ...envelope(events[2] as ConsumedEvent, 4),
          type: 'tandem.orders.OrderPlaced.v9',
        }),
      },
    ],
  });
  await raw.disconnect();
  await publisher.close();

  await waitFor(() => lines.length >= 4, { timeoutMs: 30_000, what: `4 lines (stderr: ${stderr})` });
  expect(lines.slice(0, 3)).toEqual(
    messages.map((m, i) =>
      expect.objectContaining({
        key: orderId,
        type: m.envelope.type,
        version: 1,
        id: m.envelope.id,
        streamVersion: i + 1,
        upcastFrom: [],
        data: m.payload,
      }),
    ),
  );
  expect(lines[3]).toMatchObject({ deadLettered: 'unknown-version' });

  const exited = new Promise<number | null>((resolve) => consumer?.once('exit', resolve));
  consumer.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stderr).toContain('orders-consumer: closed');
});
