import { createRequire } from 'node:module';

/**
 * The packages the application loads, in an order where each pulls in little the next has not: loading them all
 * in one go blocks the event loop for seconds on a busy node (require is synchronous), and the server that is
 * already listening could not answer a probe meanwhile. Loaded one per turn of the event loop instead, a probe
 * waits for one package at most; the application then finds them all in the require cache.
 */
const PACKAGES = [
  'reflect-metadata',
  'rxjs',
  'zod',
  'pino',
  'prom-client',
  'pg',
  'typeorm',
  'kafkajs',
  'express',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
] as const;

export async function preloadPackages(): Promise<void> {
  const load = createRequire(__filename);
  for (const name of PACKAGES) {
    await new Promise((resolve) => setImmediate(resolve));
    load(name);
  }
  await new Promise((resolve) => setImmediate(resolve));
}
