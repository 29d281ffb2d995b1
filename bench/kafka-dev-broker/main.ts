// Throughput of the development Kafka broker with kafkajs: produce, then consume, N messages of 1 KiB.
// The broker runs as its own process (the CLI, as developers start it) so its CPU time can be read from /proc
// apart from the client's.
// Usage: npm run bench -- kafka-dev-broker [--messages N] [--partitions N] [--producers N] [--chunk N]
//        [--in-flight N]
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import type { ProducerJob } from './producer-worker';
import { option, processCpuSeconds, startBrokerProcess } from '../support';

const MESSAGE_BYTES = 1024;
/**
 * Messages per producer.send(): ~2 MiB per request, spread over every partition; larger batches mean less
 * per-request work on both sides, and bigger batches for the consumer to decode.
 */
const DEFAULT_CHUNK = 2000;
/** producer.send() calls in flight at once, per producer. */
const DEFAULT_IN_FLIGHT = 2;
/** kafkajs producers, each on its own thread (see producer-worker.ts). */
const DEFAULT_PRODUCERS = 2;

interface Phase {
  name: string;
  messages: number;
  seconds: number;
  brokerCpuSeconds: number;
  clientCpuSeconds: number;
}

function clientCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Starts the producer threads, each connected and waiting for the signal to go. */
async function startProducers(count: number, job: ProducerJob): Promise<Worker[]> {
  const share = Math.ceil((job.to - job.from) / count);
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const from = job.from + i * share;
      const worker = new Worker(path.join(__dirname, 'producer-worker.ts'), {
        workerData: { ...job, from, to: Math.min(job.to, from + share) } satisfies ProducerJob,
      });
      return new Promise<Worker>((resolve, reject) => {
        worker.once('message', (msg: unknown) =>
          msg === 'ready' ? resolve(worker) : reject(new Error(String(msg))),
        );
        worker.once('error', reject);
      });
    }),
  );
}

async function runProducers(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.on('message', (msg: unknown) => {
            if (msg === 'done') resolve();
            else reject(new Error(`producer failed: ${JSON.stringify(msg)}`));
          });
          worker.once('error', reject);
          worker.postMessage('go');
        }),
    ),
  );
}

async function measure(
  name: string,
  pid: number,
  messages: number,
  run: () => Promise<void>,
): Promise<Phase> {
  const brokerBefore = processCpuSeconds(pid);
  const clientBefore = clientCpuSeconds();
  const started = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    name,
    messages,
    seconds,
    brokerCpuSeconds: processCpuSeconds(pid) - brokerBefore,
    clientCpuSeconds: clientCpuSeconds() - clientBefore,
  };
}

function table(phases: Phase[]): string {
  const header = ['phase', 'messages', 'seconds', 'msg/s', 'MB/s', 'broker CPU s', 'client CPU s'];
  const rows = phases.map((p) => [
    p.name,
    p.messages.toLocaleString('en-US'),
    p.seconds.toFixed(2),
    Math.round(p.messages / p.seconds).toLocaleString('en-US'),
    ((p.messages * MESSAGE_BYTES) / 1e6 / p.seconds).toFixed(1),
    p.brokerCpuSeconds.toFixed(2),
    p.clientCpuSeconds.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export async function main(args: string[] = []): Promise<void> {
  const total = option(args, '--messages', 200_000);
  const partitions = option(args, '--partitions', 6);
  const chunk = option(args, '--chunk', DEFAULT_CHUNK);
  const inFlight = option(args, '--in-flight', DEFAULT_IN_FLIGHT);
  const producers = option(args, '--producers', DEFAULT_PRODUCERS);
  const { child, bootstrap } = await startBrokerProcess(['--partitions', String(partitions)]);
  const pid = child.pid ?? 0;
  const kafka = new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const topic = 'bench';
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
    await admin.disconnect();

    const workers = await startProducers(producers, {
      bootstrap,
      topic,
      partitions,
      from: 0,
      to: total,
      chunk,
      inFlight,
      messageBytes: MESSAGE_BYTES,
    });
    const exits = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    const produce = await measure('produce', pid, total, () => runProducers(workers));
    // Each worker disconnects its producer after reporting done; no thread outlives the phase.
    await Promise.all(exits);

    const consumer = kafka.consumer({
      groupId: 'bench-readers',
      maxBytesPerPartition: 8 * 1024 * 1024,
      maxBytes: 64 * 1024 * 1024,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const consume = await measure('consume', pid, total, async () => {
      let received = 0;
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachBatch: async ({ batch }) => {
            received += batch.messages.length;
            if (received >= total) resolve();
          },
        });
      });
    });
    await consumer.disconnect();

    const phases = [produce, consume];
    console.log(
      `\nDevelopment Kafka broker: ${total.toLocaleString('en-US')} messages of ${MESSAGE_BYTES} bytes, ` +
        `${partitions} partitions; kafkajs with ${producers} producer thread(s), one consumer; broker and client ` +
        `in separate processes\n`,
    );
    console.log(table(phases));
    console.log(
      '\nMB/s counts message payload in 10^6 bytes; CPU s is user + system time during the phase.\n',
    );
    const result = {
      messages: total,
      messageBytes: MESSAGE_BYTES,
      partitions,
      producers,
      produce: {
        msgPerSec: Math.round(produce.messages / produce.seconds),
        mbPerSec: Number(((produce.messages * MESSAGE_BYTES) / 1e6 / produce.seconds).toFixed(1)),
        brokerCpuSeconds: Number(produce.brokerCpuSeconds.toFixed(2)),
        clientCpuSeconds: Number(produce.clientCpuSeconds.toFixed(2)),
      },
      consume: {
        msgPerSec: Math.round(consume.messages / consume.seconds),
        mbPerSec: Number(((consume.messages * MESSAGE_BYTES) / 1e6 / consume.seconds).toFixed(1)),
        brokerCpuSeconds: Number(consume.brokerCpuSeconds.toFixed(2)),
        clientCpuSeconds: Number(consume.clientCpuSeconds.toFixed(2)),
      },
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
