// ESLint flat config: @eslint/js + typescript-eslint recommended rules.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node globals for plain JavaScript files (scripts/, bin/, configs); TypeScript
// files get them from @types/node and typescript-eslint turns `no-undef` off there.
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'queueMicrotask',
    'structuredClone',
    'fetch',
    'AbortController',
    'TextEncoder',
    'TextDecoder',
    'performance',
    'globalThis',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  {
    ignores: [
      'scratch/**',
      'dist/**',
      'out/**',
      'node_modules/**',
      'archive/**',
      'coverage/**',
      '.memo-cache/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeGlobals, module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Library code reports through vfile messages and return values; only the CLI prints.
    files: ['pipeline/**'],
    ignores: ['scratch/**', 'pipeline/cli/**'],
    rules: { 'no-console': 'error' },
  },
);
