/**
 * The documentation as a reader meets it: the README stays a short writer's page,
 * every code fence is closed (an open one turns the rest of the page into code),
 * every table is a table, every relative link and #heading exists, and the error
 * table of docs/errors.md (which the README links) has one row for each rule id the
 * code can report, and no other.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Heading, Nodes, Root, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import ts from 'typescript';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const README = path.join(root, 'README.md');
const ERRORS = path.join(root, 'docs', 'errors.md');
const docsDir = path.join(root, 'docs');
const documents = [
  README,
  ...readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(docsDir, name)),
];
const shown = (file: string) => path.relative(root, file);

const parser = unified().use(remarkParse).use(remarkGfm);
const trees = new Map<string, Root>();
function parse(file: string): Root {
  let tree = trees.get(file);
  if (tree === undefined) {
    tree = parser.parse(readFileSync(file, 'utf8'));
    trees.set(file, tree);
  }
  return tree;
}

function textOf(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return node.children.map((child) => textOf(child)).join('');
  return '';
}

/** CommonMark fences: a fence closes only with the same character, at least as long, and nothing after it. */
function unclosedFences(text: string): string[] {
  const problems: string[] = [];
  let open: { char: string; length: number; line: number } | undefined;
  text.split('\n').forEach((line, index) => {
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence === null) return;
    const [, marks = '', rest = ''] = fence;
    if (open === undefined) {
      if (marks.startsWith('`') && rest.includes('`')) return; // not a fence: inline code
      open = { char: marks.charAt(0), length: marks.length, line: index + 1 };
    } else if (marks.charAt(0) === open.char && marks.length >= open.length && rest.trim() === '') {
      open = undefined;
    }
  });
  if (open !== undefined)
    problems.push(`the code fence opened at line ${open.line} is never closed`);
  return problems;
}

function headingSlugs(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const slugs = new Set<string>();
  visit(parse(file), 'heading', (heading: Heading) => {
    slugs.add(slugger.slug(textOf(heading)));
  });
  return slugs;
}

/** Every rule id passed to a message creator (`fail`, `warn`, or a helper that forwards its argument) in pipeline/. */
function ruleIdsInCode(): Map<string, string> {
  const ids = new Map<string, string>();
  const reporters = new Set(['fail', 'warn', 'error', 'warning']);
  const files = readdirSync(path.join(root, 'pipeline'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(root, 'pipeline', name));
  for (const file of files) {
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const calls: ts.CallExpression[] = [];
    const constants = new Map<string, ts.Expression>();
    const literals = (node: ts.Node): string[] => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
      if (ts.isConditionalExpression(node))
        return [...literals(node.whenTrue), ...literals(node.whenFalse)];
      if (ts.isParenthesizedExpression(node)) return literals(node.expression);
      return [];
    };
    const nameOf = (call: ts.CallExpression): string | undefined => {
      const callee = call.expression;
      if (ts.isIdentifier(callee)) return callee.text;
      if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
      return undefined;
    };
    const functionName = (fn: ts.SignatureDeclaration): string | undefined => {
      if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name !== undefined)
        return fn.name.getText();
      if (ts.isVariableDeclaration(fn.parent)) return fn.parent.name.getText();
      return undefined;
    };
    // A rule id given as a literal, a constant, or a parameter (then: the arguments of its callers).
    const resolve = (node: ts.Expression, seen: Set<string>): string[] => {
      const found = literals(node);
      if (found.length > 0 || !ts.isIdentifier(node) || seen.has(node.text)) return found;
      seen.add(node.text);
      const constant = constants.get(node.text);
      if (constant !== undefined) return literals(constant);
      for (
        let scope: ts.Node | undefined = node.parent;
        scope !== undefined;
        scope = scope.parent
      ) {
        if (!ts.isFunctionLike(scope)) continue;
        const index = scope.parameters.findIndex(
          (parameter) => parameter.name.getText() === node.text,
        );
        if (index === -1) continue;
        const name = functionName(scope);
        return calls
          .filter((call) => name !== undefined && nameOf(call) === name)
          .flatMap((call) => {
            const argument = call.arguments[index];
            return argument === undefined ? [] : resolve(argument, seen);
          });
      }
      return [];
    };
    const collect = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) calls.push(node);
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.initializer !== undefined
      )
        constants.set(node.name.text, node.initializer);
      // Described issues (`{ reason, path, ruleId: 'frontmatter-date' }`) reach `fail` through a variable.
      if (ts.isPropertyAssignment(node) && node.name.getText() === 'ruleId')
        for (const id of literals(node.initializer)) ids.set(id, shown(file));
      ts.forEachChild(node, collect);
    };
    collect(source);
    for (const call of calls) {
      const name = nameOf(call);
      const last = call.arguments.at(-1);
      if (
        name === undefined ||
        !reporters.has(name) ||
        call.arguments.length < 3 ||
        last === undefined
      )
        continue;
      for (const id of resolve(last, new Set())) ids.set(id, shown(file));
    }
  }
  return ids;
}

/** The first column of the table under the "Rules" heading of docs/errors.md. */
function ruleIdsInErrorsPage(): string[] {
  const tree = parse(ERRORS);
  const start = tree.children.findIndex(
    (node) => node.type === 'heading' && node.depth === 2 && textOf(node) === 'Rules',
  );
  const table = tree.children.slice(start + 1).find((node): node is Table => node.type === 'table');
  if (start === -1 || table === undefined) return [];
  return table.children
    .slice(1)
    .map((row) => textOf(row.children[0] ?? { type: 'text', value: '' }));
}

describe('README.md and docs/', () => {
  it('the README is a writer-sized page: at most 250 lines', () => {
    const lines = readFileSync(README, 'utf8').replace(/\n$/, '').split('\n').length;
    expect(lines).toBeLessThanOrEqual(250);
  });

  it('closes every code fence', () => {
    const problems = documents.flatMap((file) =>
      unclosedFences(readFileSync(file, 'utf8')).map((problem) => `${shown(file)}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it('writes every table as a table, with as many cells in each row as in its header', () => {
    const problems: string[] = [];
    for (const file of documents) {
      const tree = parse(file);
      const inTables = new Set<number>();
      visit(tree, 'table', (table: Table) => {
        const columns = table.children[0]?.children.length ?? 0;
        for (const row of table.children) {
          const line = row.position?.start.line ?? 0;
          inTables.add(line);
          if (row.children.length !== columns)
            problems.push(
              `${shown(file)}:${line}: ${row.children.length} cells, the header has ${columns}`,
            );
        }
        const end = table.position?.end.line ?? 0;
        for (let line = table.position?.start.line ?? 0; line <= end; line += 1) inTables.add(line);
      });
      const inCode = new Set<number>();
      visit(tree, 'code', (code) => {
        for (
          let line = code.position?.start.line ?? 0;
          line <= (code.position?.end.line ?? 0);
          line += 1
        )
          inCode.add(line);
      });
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, index) => {
          const line = index + 1;
          if (/^\s*\|/.test(text) && !inTables.has(line) && !inCode.has(line))
            problems.push(
              `${shown(file)}:${line}: a table row outside any table (is the separator row missing?)`,
            );
        });
    }
    expect(problems).toEqual([]);
  });

  it('links only to files and headings that exist', () => {
    const problems: string[] = [];
    for (const file of documents) {
      visit(parse(file), ['link', 'definition'], (node) => {
        if (node.type !== 'link' && node.type !== 'definition') return;
        const url = node.url;
        if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return; // https:, mailto:
        const [target = '', fragment] = url.split('#');
        const resolved = target === '' ? file : path.resolve(path.dirname(file), decodeURI(target));
        const where = `${shown(file)}:${node.position?.start.line ?? 0}: ${url}`;
        if (!existsSync(resolved)) {
          problems.push(`${where}: no such file`);
          return;
        }
        if (
          fragment !== undefined &&
          fragment !== '' &&
          statSync(resolved).isFile() &&
          resolved.endsWith('.md')
        ) {
          if (!headingSlugs(resolved).has(fragment)) problems.push(`${where}: no such heading`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  it('the README links the error table', () => {
    expect(readFileSync(README, 'utf8')).toContain('(docs/errors.md)');
  });

  it('the error table has a row for every rule id in pipeline/, and none for a rule that does not exist', () => {
    const inCode = ruleIdsInCode();
    const inReadme = ruleIdsInErrorsPage();
    // The extraction itself: rules reported in each of the ways the code reports them.
    for (const known of [
      'frontmatter-date',
      'image-source',
      'archive-stale-lock',
      'link-text',
      'config-json',
    ])
      expect(inCode.has(known), known).toBe(true);
    const missing = [...inCode.keys()].filter((id) => !inReadme.includes(id)).sort();
    expect(missing, 'rule ids without a row in the error table of docs/errors.md').toEqual([]);
    const stale = inReadme.filter((id) => !inCode.has(id));
    expect(stale, 'rows for rule ids the code never reports').toEqual([]);
    expect(new Set(inReadme).size, 'one row per rule id').toBe(inReadme.length);
  });
});
