/**
 * The layering of pipeline/ (.dependency-cruiser.cjs): no import cycles,
 * type-only ones included, and no import from a layer to one above it. Run
 * here as well as by `npm run lint:deps`, because CI runs only `npm test`.
 */
import path from 'node:path';
import { cruise } from 'dependency-cruiser';
import type { ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const configFile = path.join(root, '.dependency-cruiser.cjs');

let result: ICruiseResult;

beforeAll(async () => {
  const options = await extractDepcruiseOptions(configFile);
  const tsConfigFile = path.join(root, 'tsconfig.json');
  const output = await cruise(
    ['pipeline'],
    { ...options, baseDir: root, validate: true },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  if (typeof output.output === 'string') throw new Error('expected a cruise result, got text');
  result = output.output;
});

describe('the layers of pipeline/', () => {
  it('cruises every module of pipeline/, with type-only imports', () => {
    const modules = result.modules.map((module) => module.source);
    expect(modules).toContain('pipeline/cli/main.ts');
    expect(modules).toContain('pipeline/render/pdf.ts');
    expect(modules.length).toBeGreaterThan(80);
    expect(result.summary.totalDependenciesCruised).toBeGreaterThan(300);
    const typeOnly = result.modules.flatMap((module) =>
      module.dependencies.filter((dependency) => dependency.dependencyTypes.includes('type-only')),
    );
    expect(typeOnly.length).toBeGreaterThan(0);
  });

  it('has no import cycle and no import from a lower layer to a higher one', () => {
    const violations = result.summary.violations.map(
      (violation) =>
        `${violation.rule.name}: ${violation.from} → ${violation.to}${
          violation.cycle === undefined
            ? ''
            : ` (${violation.cycle.map((step) => step.name).join(' → ')})`
        }`,
    );
    expect(violations).toEqual([]);
  });

  it('puts every module of pipeline/ in a layer', async () => {
    const options = await extractDepcruiseOptions(configFile);
    const rule = options.ruleSet?.forbidden?.find((forbidden) => forbidden.name === 'in-a-layer');
    const layered = [rule?.from.pathNot ?? []].flat().map((pattern) => new RegExp(pattern, 'u'));
    expect(layered.length).toBeGreaterThan(5);
    const unplaced = result.modules
      .map((module) => module.source)
      .filter((source) => source.startsWith('pipeline/'))
      .filter((source) => !layered.some((pattern) => pattern.test(source)));
    expect(unplaced).toEqual([]);
  });
});
