// Three jest projects, by what a test needs: `unit` (pure logic, no I/O), `integration` (real Postgres and the
// dev Kafka broker, in-process), `e2e` (real service processes). Select one with `--selectProjects`.
const { readFileSync } = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(
  readFileSync(path.join(__dirname, 'tsconfig.base.json'), 'utf8'),
).compilerOptions;
const moduleNameMapper = Object.fromEntries(
  Object.entries(paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

// kubernetes-models publishes `import`-only exports, which jest's CommonJS resolver does not follow: map them to
// their files (tools/deploy-checks validates the Kubernetes manifests with them).
const kubernetesModels = {
  '^kubernetes-models/(.+?)(\\.js)?$': '<rootDir>/node_modules/kubernetes-models/$1.js',
  '^@kubernetes-models/(base|validate)$': '<rootDir>/node_modules/@kubernetes-models/$1/dist/index.js',
  '^@kubernetes-models/validate/runtime/(.+?)(\\.js)?$':
    '<rootDir>/node_modules/@kubernetes-models/validate/dist/runtime/$1.js',
  '^@kubernetes-models/(apimachinery|keda|prometheus-operator)/(.+?)(\\.js)?$':
    '<rootDir>/node_modules/@kubernetes-models/$1/$2.js',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // NestJS 12, oidc-provider and openid-client (with oauth4webapi), eventsource-parser and kubernetes-models (with
  // its validators' dependencies) ship ESM only: let swc turn them into CommonJS along with our own sources.
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|jose|oidc-provider|openid-client|oauth4webapi|eventsource-parser|kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|ip-regex)/)',
  ],
  moduleNameMapper,
  setupFiles: ['reflect-metadata'],
  // Anchored to the root: a checkout that itself lives under /tmp must still find its tests.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/tmp/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,e2e}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      moduleNameMapper: { ...moduleNameMapper, ...kubernetesModels },
      // examples/: the example consumers' own tests (examples/consumers/*).
      testMatch: ['<rootDir>/{apps,libs,tools,examples}/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration-timeout.js'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,tools}/**/*.e2e-spec.ts', '<rootDir>/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/e2e-timeout.js'],
    },
  ],
};
