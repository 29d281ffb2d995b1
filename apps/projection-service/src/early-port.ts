/**
 * The port, read before the configuration loads: parsing it needs zod and the read models (TypeORM), which take
 * seconds to load on a busy node, and the HTTP server is to listen within the first one. `config.ts` parses the same
 * variable again, with the same default, and stops the service naming it if it is bad; a value this cannot use is
 * left to that (no early listen).
 */
export function earlyListenPort(env: NodeJS.ProcessEnv): number | null {
  const raw = env['PORT']?.trim() ?? '';
  if (raw === '') return 3003;
  if (!/^\d{1,5}$/.test(raw)) return null;
  const port = Number(raw);
  return port <= 65_535 ? port : null;
}
