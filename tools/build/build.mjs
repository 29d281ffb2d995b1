// Builds each deployable into dist/apps/<name>/main.js: esbuild bundles our own code (apps and libs, resolved
// through the tsconfig path aliases) and leaves node_modules external; swc does the TypeScript transform because
// Nest's dependency injection needs decorator metadata, which esbuild does not emit.
//   node tools/build/build.mjs            build every app
//   node tools/build/build.mjs gateway    build one
import { build } from 'esbuild';
import { transform } from '@swc/core';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APPS = ['gateway', 'command-service', 'projection-service', 'query-service'];

const swcrc = JSON.parse(await readFile(path.join(root, '.swcrc'), 'utf8'));

const swcPlugin = {
  name: 'swc-decorators',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const output = await transform(source, {
        ...swcrc,
        swcrc: false,
        filename: args.path,
        module: { type: 'es6' },
        sourceMaps: 'inline',
      });
      return { contents: output.code, loader: 'js' };
    });
  },
};

async function buildApp(name) {
  const started = Date.now();
  await build({
    entryPoints: [path.join(root, 'apps', name, 'src', 'main.ts')],
    outfile: path.join(root, 'dist', 'apps', name, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'linked',
    tsconfig: path.join(root, 'tsconfig.base.json'),
    plugins: [swcPlugin],
    keepNames: true,
    logLevel: 'warning',
  });
  console.log(`built ${name} in ${Date.now() - started} ms -> dist/apps/${name}/main.js`);
}

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !APPS.includes(name));
if (unknown.length > 0) {
  console.error(`unknown app(s): ${unknown.join(', ')}; apps are ${APPS.join(', ')}`);
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : APPS) await buildApp(name);
