/**
 * `memo new`: a new memo from a skeleton (templates/new/<skeleton>.md), every
 * field filled with an example and a comment, today's date, and the project
 * config's defaults (organization, program, template, paper, classification,
 * lang, distribution lists).
 *
 * The sample values (`{{sample.…}}`) come from pipeline/placeholders.ts, where
 * the placeholder rule finds them: a memo still holding one is warned about,
 * and `memo publish` refuses it.
 *
 * Skeletons are Handlebars files rendered without HTML escaping; every value
 * goes through the `yaml` helper, which writes it as a YAML scalar (quoted
 * when needed), so a config value can't break the front matter.
 */
import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { stringify } from 'yaml';
import { temporaryName } from '../io/atomic.js';
import { SAMPLE } from '../placeholders.js';
import { projectRoot } from '../paths.js';
import type { ProjectConfig } from './schema.js';

import { SKELETONS } from './skeletons.js';
import type { SkeletonName } from './skeletons.js';

export { SKELETONS };
export type { SkeletonName };

export interface NewMemoInput {
  readonly slug: string;
  readonly skeleton: SkeletonName;
  /** The `template:` value (the skeleton's name, or the config's template). */
  readonly template: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly config: ProjectConfig;
  /** The new file, as the user names it (`sources/border-trade.md`). */
  readonly displayPath: string;
}

const EXAMPLE_RECIPIENTS = ['National Security Council', 'Department of State'];

/** Today in the local time zone, YYYY-MM-DD: the date the writer sees on the calendar. */
export function localDate(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `border-trade` → "Border Trade": a title to replace. */
function titleOf(slug: string): string {
  return slug
    .split('-')
    .map((word) => (word === '' ? word : word[0]?.toUpperCase() + word.slice(1)))
    .join(' ');
}

/** `value` as one YAML scalar on one line, quoted only when it must be. */
export function yamlScalar(value: unknown): string {
  const text = String(value);
  const out = stringify(text, { lineWidth: 0 }).trimEnd();
  return out.includes('\n') ? JSON.stringify(text) : out;
}

export async function renderNewMemo(input: NewMemoInput): Promise<string> {
  const source = await readFile(
    path.join(projectRoot(), 'templates', 'new', `${input.skeleton}.md`),
    'utf8',
  );
  const hb = Handlebars.create();
  hb.registerHelper('yaml', yamlScalar);
  const render = hb.compile(source, { noEscape: true, strict: true });
  const { config } = input;
  const lists = Object.keys(config.distributionLists);
  const firstList = lists[0];
  return render({
    path: input.displayPath,
    title: titleOf(input.slug),
    date: input.date,
    sample: SAMPLE,
    organization: config.organization ?? SAMPLE.organization,
    program: config.program ?? SAMPLE.program,
    lang: config.lang ?? 'en',
    paper: config.paper ?? 'letter',
    notes: config.notes ?? 'footnotes',
    template: input.template,
    classification: config.classification ?? 'DRAFT',
    configFile: config.file ?? 'memo.config.json',
    lists: lists.join(', '),
    distribution:
      firstList === undefined ? EXAMPLE_RECIPIENTS : [firstList, 'Office of Management and Budget'],
  });
}

function codeOf(error: unknown): string {
  const code: unknown =
    error !== null && typeof error === 'object' ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : '';
}

/**
 * Write `text` to `target` unless a file is there: written to a temporary
 * file, flushed, then hard-linked into place, which fails when the target
 * exists (so no race overwrites a file that appeared meanwhile). Returns false
 * when the target exists.
 */
export async function writeNewFile(target: string, text: string): Promise<boolean> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = temporaryName(target);
  const handle = await open(temporary, 'wx', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
    try {
      await link(temporary, target);
    } catch (error) {
      // A file system without hard links: copy, still refusing to overwrite.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(codeOf(error))) throw error;
      await copyFile(temporary, target, constants.COPYFILE_EXCL);
    }
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
  }
}
