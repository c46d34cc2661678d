// Lint rules, including the dependency direction of the source folders: `core` is pure and
// stands alone, `render` only builds strings, edges use `core`, and only `cli` wires edges.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'http', 'https', 'net', 'os', 'child_process', 'stream', 'url', 'crypto', 'zlib'];
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.tmp/**', '.scratch/**', 'compat-reports/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, 'hono', 'hono/*', '@hono/*', 'undici', 'yaml', 'ajv', 'ajv/*', 'prom-client', '**/io/**', '**/server/**', '**/upstream/**', '**/checker/**', '**/spec/**', '**/render/**', '**/cli/**'],
      'src/core is pure: no I/O, no frameworks, nothing outside core (DESIGN section 7).',
    ),
  },
  {
    files: ['src/render/**/*.ts'],
    rules: restrict([...nodeBuiltins, '**/io/**', '**/server/**', '**/upstream/**', '**/checker/**', '**/cli/**'], 'src/render builds strings only and never touches disk.'),
  },
  {
    files: ['src/io/**/*.ts', 'src/upstream/**/*.ts', 'src/server/**/*.ts', 'src/checker/**/*.ts', 'src/spec/**/*.ts'],
    rules: restrict(['**/cli/**'], 'Only src/cli wires the edges together.'),
  },
);
