// One kafkajs producer on its own thread, for the broker benchmark: kafkajs spends about as much CPU encoding a
// 1 KiB message as the broker spends storing it, so a single producer thread, not the broker, sets the pace.
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, logLevel, type Message } from 'kafkajs';

export interface ProducerJob {
  bootstrap: string;
  topic: string;
  partitions: number;
  /** Message numbers [from, to) of the whole run; message i goes to partition i % partitions. */
  from: number;
  to: number;
  chunk: number;
  inFlight: number;
  messageBytes: number;
}

async function run(job: ProducerJob): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('producer-worker runs as a worker thread');
  const kafka = new Kafka({
    clientId: 'bench-producer',
    brokers: [job.bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = Buffer.alloc(job.messageBytes, 'x');
  port.postMessage('ready');
  await new Promise<void>((go) => port.once('message', () => go()));
  let next = job.from;
  const sender = async (): Promise<void> => {
    while (next < job.to) {
      const start = next;
      next = Math.min(job.to, next + job.chunk);
      const messages: Message[] = [];
      for (let i = start; i < next; i++) messages.push({ partition: i % job.partitions, value });
      await producer.send({ topic: job.topic, acks: 1, messages });
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, sender));
  port.postMessage('done');
  await producer.disconnect();
}

run(workerData as ProducerJob).catch((err: unknown) => {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
});
