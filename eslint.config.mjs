// Lint run by `npm test` (after tsc): promise mistakes everywhere, and the workflow sandbox's import rule in the
// editor instead of at bundle time.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node built-ins without the prefix ('fs', 'fs/promises', ...); 'node:*' is a pattern below.
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('node:'));

const ioLibraries = [
  'nodemailer',
  'smtp-server',
  'imapflow',
  'pg',
  'fastify',
  'mailparser',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  '@temporalio/envconfig',
];

const sandboxMessage =
  'workflows/ and domain/ run in the workflow sandbox: no Node built-ins or I/O libraries; nor client/, worker/, activities/ (`import type` is fine).';

// test/ is the tests' own: nothing outside it imports from it (the bench's and the tests' shared
// machinery lives in worker/dev/). Not even `import type`.
const testMessage = 'only test/ imports from test/: process machinery the bench or the app needs belongs in worker/dev/ (or its own layer).';
const noTestImports = { regex: '^(\\.\\.?/)+test(/|$)', message: testMessage };

// The same for require('../test/...'), import('../test/...') and `typeof import('../test/...')`, which
// no-restricted-imports does not look at.
const testPath = '/^(\\.\\.?\\/)+test(\\/|$)/';
const noTestRequires = [
  { selector: `CallExpression[callee.name='require'][arguments.0.value=${testPath}]`, message: testMessage },
  { selector: `ImportExpression[source.value=${testPath}]`, message: testMessage },
  { selector: `TSImportType[argument.literal.value=${testPath}]`, message: testMessage },
];

const sandboxImports = {
  paths: [...nodeBuiltins, ...ioLibraries].map((name) => ({ name, allowTypeImports: true, message: sandboxMessage })),
  patterns: [
    { group: ['node:*'], allowTypeImports: true, message: sandboxMessage },
    { group: ['@fastify/*'], allowTypeImports: true, message: sandboxMessage },
    // The side-effect layers. Everywhere `import type` is fine: it is erased before bundling (workflows use the
    // Activities type).
    { regex: '^(\\.\\.?/)+(client|worker|activities)(/|$)', allowTypeImports: true, message: sandboxMessage },
    noTestImports,
  ],
};

export default defineConfig(
  // Plain-JS launchers and jest configs are outside tsconfig (no type information); tsc and jest cover them.
  { ignores: ['node_modules/', '.tools/', 'dist/', 'coverage/', 'var/', 'test-artifacts/', 'bench/results/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['{workflows,activities,worker,client,domain,test,scripts,bench}/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    // The code's few eslint-disable comments name rules of the wider recommended sets (no-require-imports,
    // no-control-regex) for editors that run those; this config doesn't, so don't report them as unused.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['{bench,worker,client,activities}/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noTestImports] }],
      'no-restricted-syntax': ['error', ...noTestRequires],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', sandboxImports],
      'no-restricted-syntax': ['error', ...noTestRequires],
    },
  },
  {
    // Reading .docx bytes (ZIP deflate) needs zlib. Only the CLI and dashboard import domain/letter-file/; the workflow
    // bundle never reaches it (workflows/index.ts -> letter.ts -> domain/{email,letter,...}), so zlib is allowed
    // here and nowhere else.
    files: ['domain/letter-file/zip.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: sandboxImports.paths.filter((p) => p.name !== 'zlib'),
          patterns: [{ group: ['node:*', '!node:zlib'], allowTypeImports: true, message: sandboxMessage }, ...sandboxImports.patterns.slice(1)],
        },
      ],
    },
  },
);
