/**
 * The layers of pipeline/, top to bottom. A module may import its own layer
 * or any layer below it, never one above; no import cycles, type-only ones
 * included. `npm run lint:deps` checks this, and so does
 * tests/architecture.test.ts (CI runs only `npm test`).
 *
 *   cli       the entry point: parses argv, hands each command to its module
 *   commands  one module per command, and the terminal output they share
 *   build     build, check, archive (publish, diff, verify), preview, import
 *   session   the run's resolved options, templates, browser and pipeline
 *   render    compile (source → view), HTML and PDF rendering, the build cache
 *   unified   the unified stages, front matter, project config, placeholders
 *   util      messages, files and limits, paths, small shared helpers
 */
'use strict';

/** @type {ReadonlyArray<{ name: string; paths: string[] }>} */
const LAYERS = [
  { name: 'cli', paths: ['^pipeline/cli/(main|early)\\.ts$'] },
  {
    name: 'commands',
    paths: ['^pipeline/cli/commands/', '^pipeline/cli/(io|options|progress|report)\\.ts$'],
  },
  {
    name: 'build',
    paths: [
      '^pipeline/build[^/]*\\.ts$',
      '^pipeline/check\\.ts$',
      '^pipeline/archive/',
      '^pipeline/preview/',
      '^pipeline/import/',
    ],
  },
  {
    name: 'session',
    paths: ['^pipeline/session[^/]*\\.ts$', '^pipeline/context\\.ts$'],
  },
  {
    name: 'render',
    paths: ['^pipeline/compile\\.ts$', '^pipeline/render/', '^pipeline/cache/'],
  },
  {
    name: 'unified',
    paths: [
      '^pipeline/unified/',
      '^pipeline/frontmatter/',
      '^pipeline/config/',
      '^pipeline/citations/',
      // The sample values `memo new` writes and the placeholder rule refuses.
      '^pipeline/placeholders\\.ts$',
    ],
  },
  {
    name: 'util',
    paths: [
      '^pipeline/util/',
      '^pipeline/io/',
      '^pipeline/(messages|paths|limit|timings|version)\\.ts$',
    ],
  },
];

const upward = LAYERS.flatMap((layer, index) =>
  index === 0
    ? []
    : [
        {
          name: `no-upward-from-${layer.name}`,
          comment: `The ${layer.name} layer may not import ${LAYERS.slice(0, index)
            .map((above) => above.name)
            .join(', ')}: layers only point down.`,
          severity: 'error',
          from: { path: layer.paths },
          to: { path: LAYERS.slice(0, index).flatMap((above) => above.paths) },
        },
      ],
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: { path: '^pipeline/' },
      to: { circular: true },
    },
    {
      name: 'in-a-layer',
      comment: 'Every module of pipeline/ belongs to a layer: add new folders to LAYERS.',
      severity: 'error',
      from: { path: '^pipeline/', pathNot: LAYERS.flatMap((layer) => layer.paths) },
      to: {},
    },
    {
      name: 'no-tests-in-pipeline',
      comment: 'Library code does not import tests, benchmarks or scripts.',
      severity: 'error',
      from: { path: '^pipeline/' },
      to: { path: '^(tests|bench|scripts)/' },
    },
    ...upward,
  ],
  options: {
    includeOnly: '^(pipeline|tests|bench|scripts)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
