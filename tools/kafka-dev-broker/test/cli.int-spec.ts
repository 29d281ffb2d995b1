import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Cleanup } from './helpers/cleanup';
import { kafkaClient } from './helpers/kafka';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../../..');

interface Cli {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function runCli(args: string[]): Cli {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/kafka-dev-broker/src/cli.ts', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => out, exit };
}

async function bootstrapOf(cli: Cli): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = /listening on (\S+)/.exec(cli.output());
    if (match?.[1]) return match[1];
    if (cli.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`broker did not start:\n${cli.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run broker (the CLI)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kafka-dev-broker-cli-'));
  const cleanup = new Cleanup();

  afterAll(async () => {
    await cleanup.run();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('explains a bad argument and exits with status 2', async () => {
    const cli = runCli(['--partitions', 'many']);
    expect(await cli.exit).toBe(2);
    expect(cli.output()).toContain("kafka-dev-broker: --partitions needs a whole number, got 'many'");
    expect(cli.output()).toContain('Usage: npm run broker');
  });

  it('prints its address, stops cleanly on SIGTERM and SIGINT, and keeps the data dir across restarts', async () => {
    const first = runCli(['--port', '0', '--data-dir', dataDir, '--partitions', '2']);
    cleanup.add(first.child, (c) => c.kill('SIGKILL'));
    const kafka = kafkaClient(await bootstrapOf(first));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'cli-topic',
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })),
    });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({
      groupId: 'cli-group',
      topic: 'cli-topic',
      partitions: [{ partition: 0, offset: '3' }],
    });
    await admin.disconnect();
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.output()).toContain('SIGTERM, stopping');

    const second = runCli(['--port', '0', '--data-dir', dataDir]);
    cleanup.add(second.child, (c) => c.kill('SIGKILL'));
    const admin2 = kafkaClient(await bootstrapOf(second)).admin();
    await admin2.connect();
    const ends = await admin2.fetchTopicOffsets('cli-topic');
    expect(ends).toHaveLength(2);
    expect(ends.reduce((sum, p) => sum + Number(p.high), 0)).toBe(10);
    const [offsets] = await admin2.fetchOffsets({ groupId: 'cli-group', topics: ['cli-topic'] });
    expect(offsets?.partitions.find((p) => p.partition === 0)?.offset).toBe('3');
    await admin2.disconnect();
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  });
});
