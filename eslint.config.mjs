// ESLint flat config for the whole repository: backend, sandbox, tests, tools and the
// Custom UI front ends. `npm run lint` runs it with --max-warnings 0, so a warning is as
// fatal as an error: keep rules here that are worth fixing, not ones worth ignoring.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * .gitignore's patterns as ESLint ignore patterns, so lint sees what git would commit
 * (scratch files people keep beside their work included). Covers the gitignore syntax
 * this repository uses: comments, `!` negation, a leading `/` or an inner `/` anchoring a
 * pattern to the root, and a trailing `/` for folders.
 */
function gitIgnorePatterns() {
  const path = join(import.meta.dirname, '.gitignore');
  if (!existsSync(path)) return [];
  const patterns = [];
  for (const raw of readFileSync(path, 'utf8').split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const folderOnly = line.endsWith('/');
    if (folderOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const pattern = `${anchored ? '' : '**/'}${line}${folderOnly ? '/' : ''}`;
    patterns.push(negated ? `!${pattern}` : pattern);
  }
  return patterns;
}

const tsFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const jsFiles = ['**/*.js', '**/*.mjs', '**/*.cjs'];

export default tseslint.config(
  {
    // Build output, installs and run artefacts are generated: linting them only adds noise.
    ignores: [
      ...gitIgnorePatterns(),
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
