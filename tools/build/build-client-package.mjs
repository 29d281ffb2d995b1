// Builds `@tandem/client`, the typed client of the Tandem API that frontend teams install, into dist/packages/client
// (then `npm pack` it):
//   index.js (CommonJS) and index.mjs (ES module)   libs/client, bundled by esbuild, its dependencies left external
//   types/                                           declarations by tsc, the generated OpenAPI types included
//   openapi.json, README.md
// Its dependencies are openapi-fetch and eventsource-parser (watchOrder's Server-Sent Events); it runs wherever
// fetch does (browsers, Node.js 20+).
//   node tools/build/build-client-package.mjs
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'dist/packages/client');
const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// The package's version follows the API's: a change of the document that breaks a client is a new major.
const clientManifest = {
  name: '@tandem/client',
  version: JSON.parse(readFileSync(path.join(root, 'docs/openapi.json'), 'utf8')).info.version.replace(
    /^(\d+\.\d+)$/,
    '$1.0',
  ),
  description:
    "A typed client of the Tandem API (openapi-fetch over the gateway's OpenAPI document): typed problems, " +
    'Idempotency-Key and consistency-token helpers, bearer tokens.',
};
const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  entryPoints: [path.join(root, 'libs/client/src/index.ts')],
  bundle: true,
  platform: 'neutral',
  target: 'es2022',
  sourcemap: 'linked',
  external: ['openapi-fetch', 'eventsource-parser'],
  logLevel: 'warning',
};
await build({ ...common, format: 'cjs', outfile: path.join(out, 'index.js') });
await build({ ...common, format: 'esm', outfile: path.join(out, 'index.mjs') });

writeFileSync(
  path.join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: path.join(root, 'tsconfig.base.json'),
    compilerOptions: {
      declaration: true,
      emitDeclarationOnly: true,
      noEmit: false,
      sourceMap: false,
      rootDir: path.join(root, 'libs/client/src'),
      outDir: path.join(out, 'types'),
      types: [],
      lib: ['es2022', 'dom'],
    },
    files: [path.join(root, 'libs/client/src/index.ts')],
  }),
);
execFileSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(out, 'tsconfig.json')],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
rmSync(path.join(out, 'tsconfig.json'));
cpSync(path.join(root, 'docs/openapi.json'), path.join(out, 'openapi.json'));
cpSync(path.join(root, 'libs/client/README.md'), path.join(out, 'README.md'));

writeFileSync(
  path.join(out, 'package.json'),
  `${JSON.stringify(
    {
      ...clientManifest,
      license: rootManifest.license,
      main: './index.js',
      module: './index.mjs',
      types: './types/index.d.ts',
      exports: {
        '.': { types: './types/index.d.ts', import: './index.mjs', require: './index.js' },
        './openapi.json': './openapi.json',
        './package.json': './package.json',
      },
      files: ['index.js', 'index.js.map', 'index.mjs', 'index.mjs.map', 'types', 'openapi.json', 'README.md'],
      dependencies: {
        'openapi-fetch': rootManifest.devDependencies['openapi-fetch'],
        'eventsource-parser': rootManifest.devDependencies['eventsource-parser'],
      },
    },
    null,
    2,
  )}\n`,
);
console.log(
  `built @tandem/client ${clientManifest.version} in ${Date.now() - started} ms -> dist/packages/client`,
);
