// ESLint flat config for the whole repository: backend, sandbox, tests, tools and the
// Custom UI front ends. `npm run lint` runs it with --max-warnings 0, so a warning is as
// fatal as an error: keep rules here that are worth fixing, not ones worth ignoring.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const tsFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const jsFiles = ['**/*.js', '**/*.mjs', '**/*.cjs'];

export default tseslint.config(
  {
    // Build output, installs and run artefacts are generated: linting them only adds noise.
    ignores: [
      '**/node_modules/**',
      '**/build/**',
      '**/dist/**',
      'coverage/**',
      'artifacts/**',
      '.sandbox/**',
    ],
  },
  {
    linterOptions: {
      // A stale eslint-disable comment hides nothing and misleads the reader.
      reportUnusedDisableDirectives: 'error',
    },
  },
  js.configs.recommended,
  {
    files: tsFiles,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // The project service picks the nearest tsconfig.json for each file (root or
        // static/), so the type-aware rules see the same program as tsc.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Type-only imports keep runtime code out of the front-end bundles that import from src/.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // Resolvers and handlers are often async for the interface's sake, not for an await.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    files: jsFiles,
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS is the format of jest.config.js and of the @forge/lint child process.
    files: ['**/*.cjs', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // Code that runs in a browser page: the front ends and the sandbox host's own scripts.
    files: ['static/**', 'sandbox/host/public/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/**'],
    languageOptions: { globals: { ...globals.jest } },
    rules: {
      // expect(mock.method) and friends pass methods around on purpose.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
