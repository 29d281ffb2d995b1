// What applying the inline customer-exposure model costs a command, apart from everything else on a busy machine:
// PlaceOrder and ShipOrder through the real command transactions (PostgresCommandTransactions, in process, no HTTP),
// with the model and without it, in alternating blocks on the same database and pool, so that the machine's other
// load falls on both alike. Each connection has a customer and orders of its own (no two wait for one row).
// Runs on BENCH_POSTGRES_URL (a scratch database is created and dropped), else TEST_POSTGRES_URL, else PGlite.
// At the end, a rebuild of the model from the events written: how long commands applying it would wait.
// Usage: npm run bench -- inline [--connections N] [--blocks N] [--orders N]   (orders per connection per block)
import { randomUUID } from 'node:crypto';
import { customerExposureModel } from '@tandem/inline-models';
import { createTestDatabase } from '@tandem/platform/testing';
import { decideOrder, type OrderCommand, type OrderState } from '@tandem/write/domain';
import {
  createWriteDataSource,
  InlineCatchUp,
  InlineProjections,
  migrateWriteDatabase,
  PostgresCommandTransactions,
} from '@tandem/write/persistence';
import { option, percentile } from '../support';

type Mode = 'on' | 'off';

export async function main(args: string[]): Promise<void> {
  const connections = option(args, '--connections', 16);
  const blocks = option(args, '--blocks', 10);
  const ordersPerBlock = option(args, '--orders', 20);
  if (process.env['BENCH_POSTGRES_URL']) process.env['TEST_POSTGRES_URL'] = process.env['BENCH_POSTGRES_URL'];
  const database = await createTestDatabase('bench_inline');
  const dataSource = createWriteDataSource({ url: database.url, poolSize: connections });
  await dataSource.initialize();
  try {
    await migrateWriteDatabase(dataSource);
    const inline = new InlineProjections([customerExposureModel]);
    const transactions: Record<Mode, PostgresCommandTransactions> = {
      on: new PostgresCommandTransactions(dataSource, { inline }),
      off: new PostgresCommandTransactions(dataSource),
    };
    const run = (mode: Mode, orderId: string, command: (state: OrderState | null) => OrderCommand) =>
      transactions[mode].run(
        { correlationId: randomUUID(), commandId: randomUUID(), aggregateId: orderId },
        async ({ orders }) => {
          const state = await orders.load(orderId);
          const version = await orders.append(
            orderId,
            state?.version ?? 0,
            decideOrder(command(state), state),
          );
          return { outcome: 'changed', body: { id: orderId, version, consistencyToken: '' } };
        },
      );
    const customers = Array.from({ length: connections }, () => ({
      customerId: randomUUID(),
      currency: 'EUR',
    }));
    const results: Record<Mode, { latenciesMs: number[]; seconds: number }> = {
      on: { latenciesMs: [], seconds: 0 },
      off: { latenciesMs: [], seconds: 0 },
    };
    for (let block = 0; block < blocks; block++) {
      const mode: Mode = block % 2 === 0 ? 'on' : 'off';
      // Orders of one line each, made through the same transactions (not measured).
      const orders = await Promise.all(
        customers.map(async (customer) => {
          const ids: string[] = [];
          for (let o = 0; o < ordersPerBlock; o++) {
            const orderId = randomUUID();
            await run(mode, orderId, () => ({
              type: 'CreateOrder',
              orderId,
              customerId: customer.customerId,
              customer,
            }));
            await run(mode, orderId, () => ({
              type: 'AddOrderLine',
              orderId,
              sku: 'A',
              quantity: 1,
              unitPrice: 100,
            }));
            ids.push(orderId);
          }
          return ids;
        }),
      );
      const started = process.hrtime.bigint();
      await Promise.all(
        orders.map(async (ids) => {
          for (const orderId of ids) {
            for (const command of [
              (): OrderCommand => ({
                type: 'PlaceOrder',
                orderId,
                customerCreditLimit: Number.MAX_SAFE_INTEGER,
              }),
              (): OrderCommand => ({ type: 'ShipOrder', orderId }),
            ]) {
              const t0 = process.hrtime.bigint();
              await run(mode, orderId, command);
              results[mode].latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
            }
          }
        }),
      );
      results[mode].seconds += Number(process.hrtime.bigint() - started) / 1e9;
    }
    const summary = (mode: Mode) => {
      const { latenciesMs, seconds } = results[mode];
      return {
        commands: latenciesMs.length,
        commandsPerSecond: Math.round(latenciesMs.length / seconds),
        p50Ms: Math.round(percentile(latenciesMs, 50) * 100) / 100,
        p99Ms: Math.round(percentile(latenciesMs, 99) * 100) / 100,
      };
    };
    const on = summary('on');
    const off = summary('off');
    console.log(
      `\nPlaceOrder + ShipOrder through the command transactions, ${connections} connections, ${blocks} alternating blocks\n`,
    );
    console.log('| inline model | commands | commands/s | p50 ms | p99 ms |');
    console.log('| ------------ | -------: | ---------: | -----: | -----: |');
    for (const [name, s] of [
      ['on', on],
      ['off', off],
    ] as const) {
      console.log(
        `| ${name.padEnd(12)} | ${String(s.commands).padStart(8)} | ${String(s.commandsPerSecond).padStart(10)} | ${s.p50Ms.toFixed(2).padStart(6)} | ${s.p99Ms.toFixed(2).padStart(6)} |`,
      );
    }
    const rebuild = await new InlineCatchUp(dataSource, inline).rebuild(customerExposureModel.name);
    console.log(`\nrebuild of ${rebuild.model}: ${rebuild.events} events in ${rebuild.ms} ms`);
    console.log(
      `RESULT ${JSON.stringify({ connections, blocks, ordersPerBlock, on, off, rebuild: { events: rebuild.events, ms: rebuild.ms } })}`,
    );
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
}
