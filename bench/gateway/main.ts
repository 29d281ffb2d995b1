// The gateway hop alone: the real gateway process (built, as it runs in production: token check, rate limits,
// security headers, request tracking, the forward over a kept-alive pool) in front of a stand-in command service
// that answers every command at once, so that what is measured is what the hop itself costs. The driver sends
// AddOrderLine commands with Idempotency-Keys as customer1 at a fixed concurrency over kept-alive connections and
// reads the gateway's CPU time from /proc before and after: CPU per forwarded command is the figure to compare
// between builds (the stand-in and the driver run in this process, not in the gateway's).
// Usage: npm run bench -- gateway [--requests 20000] [--connections 32]
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { TestIssuer } from '@tandem/platform/auth/testing';
import { freePort, spawnService } from '@tandem/dev-stack';
import { BENCH_RATE_LIMITS, option, percentile, processCpuSeconds, waitHealthy } from '../support';

const ROOT = path.resolve(__dirname, '../..');

function post(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (incoming) => {
        incoming.resume();
        incoming.on('end', () => resolve(incoming.statusCode ?? 0));
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The stand-in command service: reads each request's body and answers at once; counts the commands it got. */
async function startStandIn(
  answer: string,
): Promise<{ url: string; received: () => number; server: Server }> {
  let received = 0;
  const server = createServer((incoming, outgoing) => {
    incoming.resume();
    incoming.on('end', () => {
      if (incoming.url === '/health/live') {
        outgoing.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      received++;
      outgoing
        .writeHead(200, { 'content-type': 'application/json', 'x-consistency-token': 'v1.bench' })
        .end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received: () => received, server };
}

export async function main(args: string[]): Promise<void> {
  const requests = option(args, '--requests', 20_000);
  const connections = option(args, '--connections', 32);
  execFileSync(process.execPath, ['tools/build/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
  const issuer = await TestIssuer.shared();
  const orderId = randomUUID();
  const upstream = await startStandIn(JSON.stringify({ id: orderId, version: 2 }));
  const port = await freePort();
  const logs: string[] = [];
  const gateway = spawnService({
    name: 'gateway',
    script: path.join(ROOT, 'dist/apps/gateway/main.js'),
    env: {
      ...issuer.env,
      ...BENCH_RATE_LIMITS,
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      COMMAND_SERVICE_URL: upstream.url,
      QUERY_SERVICE_URL: upstream.url,
      PROJECTION_SERVICE_URL: upstream.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
    },
    url: `http://127.0.0.1:${port}`,
    output: (line) => logs.push(line),
  });
  try {
    await waitHealthy(gateway.url, 'live');
    const target = new URL(`${gateway.url}/api/orders/${orderId}/lines`);
    const headers = {
      authorization: `Bearer ${await issuer.token({ subject: 'customer1', roles: ['customer'] })}`,
    };
    const body = JSON.stringify({ sku: 'SKU-1', quantity: 1, unitPrice: '9.99' });
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    const run = async (count: number): Promise<{ seconds: number; latencies: number[]; failed: number }> => {
      let next = 0;
      let failed = 0;
      const latencies: number[] = [];
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < count) {
            next++;
            const sent = process.hrtime.bigint();
            const status = await post(agent, target, body, { ...headers, 'idempotency-key': randomUUID() });
            latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
            if (status !== 200) failed++;
          }
        }),
      );
      return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies, failed };
    };
    await run(Math.min(2000, requests)); // warm-up: JIT, pools, the verifier's cache
    const receivedBefore = upstream.received();
    const cpuBefore = processCpuSeconds(gateway.child.pid);
    const measured = await run(requests);
    const cpuSeconds = processCpuSeconds(gateway.child.pid) - cpuBefore;
    if (measured.failed > 0) throw new Error(`${measured.failed} of ${requests} commands did not answer 200`);
    if (upstream.received() - receivedBefore !== requests)
      throw new Error(
        `the stand-in received ${upstream.received() - receivedBefore} of ${requests} commands`,
      );
    const perSecond = Math.round(requests / measured.seconds);
    const cpuMsPerRequest = Math.round((cpuSeconds / requests) * 1e6) / 1e3;
    const p50 = percentile(measured.latencies, 50);
    const p99 = percentile(measured.latencies, 99);
    console.log(
      `\nThe gateway hop: ${requests} AddOrderLine commands at ${connections} connections, each forwarded to a ` +
        `stand-in command service that answers at once\n`,
    );
    console.log('| commands/s | p50 ms | p99 ms | gateway CPU ms per command | gateway cores |');
    console.log('| ---------: | -----: | -----: | -------------------------: | ------------: |');
    console.log(
      `| ${perSecond} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${cpuMsPerRequest.toFixed(3)} | ` +
        `${(cpuSeconds / measured.seconds).toFixed(2)} |`,
    );
    console.log(
      `RESULT ${JSON.stringify({ requests, connections, commandsPerSecond: perSecond, p50Ms: p50, p99Ms: p99, cpuMsPerRequest })}`,
    );
    agent.destroy();
  } catch (error) {
    console.error(logs.slice(-40).join('\n'));
    throw error;
  } finally {
    await gateway.stop();
    upstream.server.closeAllConnections();
    await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
  }
}
