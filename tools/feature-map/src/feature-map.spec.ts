import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commandFeatures, readModels } from './feature-map';

import { READ_ROUTES } from './read-routes';

const root = join(__dirname, '..', '..', '..');

/** `GET` routes the gateway serves, from its controllers' decorators: `@Controller('api/x')` + `@Get('y')`. */
function gatewayGetRoutes(): string[] {
  const routes: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.controller.ts')) {
        const source = readFileSync(path, 'utf8');
        const base = /@Controller\('([^']*)'\)/.exec(source)?.[1];
        if (base === undefined) continue;
        for (const match of source.matchAll(/@Get\((?:'([^']*)')?\)/g)) {
          const sub = match[1] ?? '';
          routes.push(`GET /${[base, sub].filter(Boolean).join('/')}`.replace(/:(\w+)/g, '{$1}'));
        }
      }
    }
  };
  walk(join(root, 'apps', 'gateway', 'src'));
  return routes;
}

describe('the feature map', () => {
  it('is up to date (run `npm run docs:feature-map` after changing a command, a read model or a read route)', () => {
    // In a process of its own: Prettier's markdown formatting needs ES modules, which this test runner does not load.
    expect(() =>
      execFileSync(
        process.execPath,
        ['-r', '@swc-node/register', 'tools/feature-map/src/main.ts', '--check'],
        {
          cwd: root,
          stdio: 'pipe',
        },
      ),
    ).not.toThrow();
  });

  it('names files and folders that exist', () => {
    for (const feature of commandFeatures()) expect(existsSync(join(root, feature.rule))).toBe(true);
    for (const model of readModels()) expect(existsSync(join(root, model.folder))).toBe(true);
    for (const route of READ_ROUTES) expect(existsSync(join(root, route.handler))).toBe(true);
  });

  it('lists every public read route of the gateway (operators’ admin routes, the API documents and the command status apart)', () => {
    const listed = new Set(READ_ROUTES.map((r) => r.route));
    // The command status is about every command and shows no read model's rows (only the projections' progress).
    const documents = new Set(['GET /api/asyncapi.json', 'GET /api/commands/{idempotencyKey}']);
    const missing = gatewayGetRoutes().filter(
      (r) => !r.startsWith('GET /api/admin') && !documents.has(r) && !listed.has(r),
    );
    expect(missing).toEqual([]);
  });

  it('gives every command at least one event and every event at least one read model', () => {
    for (const feature of commandFeatures()) {
      expect(feature.events.length).toBeGreaterThan(0);
      for (const event of feature.events) expect(feature.readers[event]?.length ?? 0).toBeGreaterThan(0);
    }
  });
});
