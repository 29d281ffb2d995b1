// Builds `@tandem/contracts`, the package other teams install, into dist/packages/contracts (then `npm pack` it):
//   index.js   libs/contracts (events, zod schemas, CloudEvents headers, the decoder), bundled by esbuild
//   nest.js    libs/contracts-nest (`@tandem/contracts/nest`, the @nestjs/microservices transport), which imports
//              the main entry by the package's own name, so both share one copy of the registry
//   types/     declarations by tsc;  schemas/  the JSON Schemas (current and released);  asyncapi.yaml;  README.md
// Only zod is a dependency; NestJS, kafkajs and rxjs are optional peers, needed by the nest entry alone.
//   node tools/build/build-contracts-package.mjs
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'dist/packages/contracts');
const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const version = /CONTRACT_VERSION = '([^']+)'/.exec(
  readFileSync(path.join(root, 'libs/contracts/src/version.ts'), 'utf8'),
)?.[1];
if (!version) throw new Error('libs/contracts/src/version.ts has no CONTRACT_VERSION');
const range = (name) => {
  const pinned = rootManifest.dependencies[name] ?? rootManifest.devDependencies[name];
  if (!pinned) throw new Error(`${name} is not a dependency of the workspace`);
  return `^${pinned.split('.')[0]}.${pinned.split('.')[1]}.0`;
};

const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  tsconfig: path.join(root, 'tsconfig.base.json'),
  keepNames: true,
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: [path.join(root, 'libs/contracts/src/index.ts')],
  outfile: path.join(out, 'index.js'),
  external: ['zod'],
});
await build({
  ...common,
  entryPoints: [path.join(root, 'libs/contracts-nest/src/index.ts')],
  outfile: path.join(out, 'nest.js'),
  external: ['zod', 'kafkajs', 'rxjs', '@nestjs/*', '@tandem/contracts'],
});

writeFileSync(
  path.join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: path.join(root, 'tsconfig.base.json'),
    compilerOptions: {
      declaration: true,
      emitDeclarationOnly: true,
      noEmit: false,
      sourceMap: false,
      rootDir: path.join(root, 'libs'),
      outDir: path.join(out, 'types'),
      types: ['node'],
    },
    files: [
      path.join(root, 'libs/contracts/src/index.ts'),
      path.join(root, 'libs/contracts-nest/src/index.ts'),
    ],
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

cpSync(path.join(root, 'libs/contracts/schemas'), path.join(out, 'schemas'), { recursive: true });
cpSync(path.join(root, 'docs/asyncapi.yaml'), path.join(out, 'asyncapi.yaml'));
cpSync(path.join(root, 'libs/contracts/README.md'), path.join(out, 'README.md'));

const types = (entry) => `./types/${entry}/src/index.d.ts`;
writeFileSync(
  path.join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: '@tandem/contracts',
      version,
      description:
        "Tandem's event contract: event types, zod schemas, CloudEvents headers, a decoder, a NestJS transport.",
      license: rootManifest.license,
      engines: rootManifest.engines,
      main: './index.js',
      types: types('contracts'),
      exports: {
        '.': { types: types('contracts'), default: './index.js' },
        './nest': { types: types('contracts-nest'), default: './nest.js' },
        './schemas/*': './schemas/*',
        './asyncapi.yaml': './asyncapi.yaml',
        './package.json': './package.json',
      },
      files: [
        'index.js',
        'index.js.map',
        'nest.js',
        'nest.js.map',
        'types',
        'schemas',
        'asyncapi.yaml',
        'README.md',
      ],
      dependencies: { zod: range('zod') },
      peerDependencies: {
        '@nestjs/common': range('@nestjs/common'),
        '@nestjs/microservices': range('@nestjs/microservices'),
        kafkajs: range('kafkajs'),
        rxjs: range('rxjs'),
      },
      peerDependenciesMeta: {
        '@nestjs/common': { optional: true },
        '@nestjs/microservices': { optional: true },
        kafkajs: { optional: true },
        rxjs: { optional: true },
      },
    },
    null,
    2,
  )}\n`,
);
console.log(`built @tandem/contracts ${version} in ${Date.now() - started} ms -> dist/packages/contracts`);
