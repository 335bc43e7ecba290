// Three projects: fast unit tests, workflow tests on the time-skipping server (plus replay of
// committed histories), and e2e tests on real Postgres and a real Temporal dev server.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const moduleNameMapper = {
  '^@app/(domain|contracts|persistence|temporal|common)$': '<rootDir>/libs/$1/src',
  '^@app/(domain|contracts|persistence|temporal|common)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
// NestJS 12 ships ES modules only; Jest on Node 20 cannot require() them, so SWC compiles
// those packages to CommonJS for the tests (the apps themselves load them natively).
const ESM_PACKAGES = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  'peek-readable',
  '@tokenizer',
  'uint8array-extras',
  'load-esm',
];
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc, '^.+\\.m?js$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

module.exports = {
  // Test files run in a child process, never in Jest's own (which it would do on this 2-core
  // machine, one worker): each e2e file starts Temporal workers whose workflow threads stay in the
  // process; a process that ran sixty of them crashed once in native code ("async hook stack has
  // become corrupted", temporalio/sdk-typescript#939), taking the whole run and its report down.
  // A worker over 1 GB after a file is replaced; a crash fails its file only.
  workerIdleMemoryLimit: '1GB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,seeds}/**/*.spec.ts', '<rootDir>/test/architecture/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'workflows',
      testMatch: ['<rootDir>/workflows/test/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/workflow-global-setup.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/e2e-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/e2e-global-teardown.ts',
    },
  ],
};
