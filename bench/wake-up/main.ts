// What a wake-up costs this machine: a trivial HTTP server in its own process (it reads the body and answers a
// fixed JSON) driven by a kept-alive client at rates from 20 to 1,000 requests/s. The work per request is the same at
// every rate; the CPU the server takes per request is not, because at a low rate the server is idle whenever a
// request comes, and a process woken from idle pays for it. The figure explains why the pipeline's CPU per command
// falls as the rate rises (docs/benchmarks.md, "Where the CPU of a command goes").
// Usage: npm run bench -- wake-up [--seconds 8]
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { freePort } from '@tandem/dev-stack';
import { option, processCpuSeconds } from '../support';

const SERVER = `
const http = require('node:http');
http.createServer((q, s) => { q.resume(); q.on('end', () => s.end('{"ok":true}')); })
  .listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('listening\\n'));
`;

export async function main(args: string[]): Promise<void> {
  const seconds = option(args, '--seconds', 8);
  const port = await freePort();
  const server = spawn(process.execPath, ['-e', SERVER, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => server.stdout?.once('data', () => resolve()));
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const outgoing = request(
        { port, hostname: '127.0.0.1', method: 'POST', path: '/', agent },
        (incoming) => {
          incoming.resume();
          incoming.on('end', () => resolve());
        },
      );
      outgoing.on('error', reject);
      outgoing.end('{"a":1}');
    });
  const rows: Array<{ rate: number; cpuMsPerRequest: number }> = [];
  try {
    for (const rate of [20, 60, 200, 1000]) {
      const count = Math.min(rate * seconds, 8000);
      const before = processCpuSeconds(server.pid);
      const started = Date.now();
      const sent: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const wait = started + (i * 1000) / rate - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        sent.push(once());
      }
      await Promise.all(sent);
      const cpuMs = (processCpuSeconds(server.pid) - before) * 1000;
      rows.push({ rate, cpuMsPerRequest: Math.round((cpuMs / count) * 1000) / 1000 });
    }
  } finally {
    agent.destroy();
    server.kill();
  }
  console.log('\nA trivial HTTP server in its own process: CPU per request by request rate\n');
  console.log('| requests/s | server CPU ms per request |');
  console.log('| ---------: | ------------------------: |');
  for (const row of rows) console.log(`| ${row.rate} | ${row.cpuMsPerRequest.toFixed(3)} |`);
  console.log(`RESULT ${JSON.stringify({ rows })}`);
}
