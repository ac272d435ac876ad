/**
 * `recipients` of the project config: a memo's `distribution` and the
 * config's lists may name recipient ids; the printed block shows offices (in
 * order, once each), never an e-mail address; a near miss gets "did you mean".
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const CONFIG = {
  recipients: {
    'nsc-director': {
      name: 'Jane Doe',
      office: 'National Security Council',
      title: 'Senior Director',
      email: 'jane.doe@nsc.example.gov',
    },
    'state-desk': {
      name: 'Omar Haddad',
      office: 'Department of State',
      email: 'omar.haddad@state.example.gov',
    },
    'dhs-analyst': { name: 'Li Wei', office: 'Department of Homeland Security' },
  },
  distributionLists: {
    principals: ['nsc-director', 'state-desk', 'Office of Management and Budget'],
  },
};

const memo = (distribution: string) => `---
title: Border trade
author: Ana Ruiz
organization: Council
date: 2026-01-10
distribution:
${distribution}
---

## Findings

Text.
`;

async function project(config: unknown, distribution: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'memo-recipients-'));
  await mkdir(path.join(folder, 'sources'));
  await writeFile(path.join(folder, 'memo.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  await writeFile(path.join(folder, 'sources', 'trade.md'), memo(distribution));
  return folder;
}

describe('recipients in the distribution', () => {
  it('prints offices in order, once each, and never an e-mail address', async () => {
    const folder = await project(
      CONFIG,
      '  - principals\n  - dhs-analyst\n  - state-desk\n  - Department of State',
    );
    const run = await runCli(['build', '--format', 'html'], folder);
    expect(run.stderr).not.toContain('warning');
    expect(run.code).toBe(0);
    const html = await readFile(path.join(folder, 'out', 'trade', 'memo.html'), 'utf8');
    const items = selectAll('.distribution-list li', fromHtml(html)).map((node) => toString(node));
    expect(items).toEqual([
      'National Security Council',
      'Department of State',
      'Office of Management and Budget',
      'Department of Homeland Security',
    ]);
    for (const address of ['jane.doe@', 'omar.haddad@', 'example.gov'])
      expect(html).not.toContain(address);
    expect(html).not.toContain('Jane Doe');
  });

  it('suggests the recipient id for a near miss, at its line and column', async () => {
    const folder = await project(CONFIG, '  - principals\n  - nsc-directr');
    const run = await runCli(['check'], folder);
    expect(run.stderr).toContain(
      'sources/trade.md:8:5: warning `nsc-directr` is not a recipient or distribution list of memo.config.json, so it is printed as an office; did you mean the recipient `nsc-director`? [distribution-list]',
    );
  });

  it('still suggests a list name for a near miss of a list', async () => {
    const folder = await project(CONFIG, '  - principls');
    const run = await runCli(['check'], folder);
    expect(run.stderr).toContain(
      'sources/trade.md:7:5: warning `principls` is not a distribution list of memo.config.json, so it is printed as a recipient; did you mean the list `principals`?',
    );
  });

  it('suggests the recipient id for a near miss inside a list of the config', async () => {
    const config = { ...CONFIG, distributionLists: { principals: ['state-dsk'] } };
    const folder = await project(config, '  - principals');
    const run = await runCli(['check'], folder);
    expect(run.stderr).toMatch(
      /memo\.config\.json:\d+:\d+: warning `state-dsk` in list `principals` is not a recipient id, so it is printed as an office; did you mean the recipient `state-desk`\? \[distribution-list\]/,
    );
  });

  it('refuses a recipient without an office, or with an address that is not one', async () => {
    const config = {
      recipients: { 'jane-doe': { name: 'Jane Doe', email: 'jane at nsc' } },
    };
    const folder = await project(config, '  - jane-doe');
    const run = await runCli(['check'], folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/memo\.config\.json:\d+:\d+: error .*office.* \[config-type\]/);
    expect(run.stderr).toMatch(
      /memo\.config\.json:\d+:\d+: error `email` of recipient `jane-doe`: must be an e-mail address/,
    );
  });
});
