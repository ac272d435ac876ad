/**
 * A YAML syntax error in plain words, for a writer who has never heard of
 * YAML: what is wrong, at the character that is wrong, and how to fix it.
 *
 * The parser reports the place where it gave up, often lines after the cause
 * (an unclosed quote) or before it (an indentation slip makes the line above
 * "a multi-line key"), and one cause gives a cascade (one tab, 17 errors).
 * So the errors only say roughly where to look; the source lines say what the
 * writer did. One message for the first cause; the writer fixes it and runs
 * again.
 */
import type { YAMLError } from 'yaml';

export interface YamlProblem {
  readonly reason: string;
  /** Offset in the YAML text of the offending character. */
  readonly offset: number;
  readonly ruleId: string;
}

interface SourceLine {
  /** 0-based line index in the YAML text. */
  readonly index: number;
  /** Offset of the line's first character in the YAML text. */
  readonly start: number;
  readonly text: string;
  /** Offset in the line of the first character after the indentation and any `- `. */
  readonly keyColumn: number;
  /** Offset in the line of the `-` of a list item, or -1. */
  readonly dash: number;
  /** The field name before `: `, when the line is a field. */
  readonly key: string | undefined;
  /** The value after `key: ` (or the item text), without trailing spaces. */
  readonly value: string;
  /** Offset in the line of the value. */
  readonly valueColumn: number;
  /** Blank or only a comment. */
  readonly empty: boolean;
}

const KEY = /^([^\s#'"[\]{}:&*!|>%@`?][^:#]*?)[ \t]*:(?=[ \t]|$)/;
/** Characters that mean something at the start of a value (in a plain value they are taken as text). */
const SPECIAL_START = '[{*&!|>%@`?';

function parseLine(text: string, index: number, start: number): SourceLine {
  const lead = /^[ \t]*((?:-(?:[ \t]+|$))*)/.exec(text)?.[0] ?? '';
  const dashMatch = /^[ \t]*-(?:[ \t]|$)/.exec(text);
  const dash = dashMatch ? dashMatch[0].indexOf('-') : -1;
  const rest = text.slice(lead.length);
  const key = KEY.exec(rest);
  const afterKey = key ? rest.slice(key[0].length) : rest;
  const spaces = /^[ \t]*/.exec(afterKey)?.[0].length ?? 0;
  const valueColumn = lead.length + (key ? key[0].length : 0) + spaces;
  return {
    index,
    start,
    text,
    keyColumn: lead.length,
    dash,
    key: key?.[1]?.trimEnd(),
    value: text.slice(valueColumn).trimEnd(),
    valueColumn,
    empty: /^\s*(?:#.*)?$/.test(text),
  };
}

function splitLines(source: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  source.split('\n').forEach((text, index) => {
    lines.push(parseLine(text, index, start));
    start += text.length + 1;
  });
  return lines;
}

/** The value in quotes, as the writer should type it. */
export function quoted(value: string): string {
  if (!value.includes('"') && !value.includes('\\')) return `"${value}"`;
  return `'${value.replace(/'/g, "''")}'`;
}

/** `title: "…"` or `- "…"`: the line as it should read with its value quoted. */
function fixed(line: SourceLine, value: string): string {
  if (line.key !== undefined) return `${line.key}: ${quoted(value)}`;
  return `- ${quoted(value)}`;
}

function subject(line: SourceLine): string {
  return line.key === undefined ? 'this list item' : `the value of \`${line.key}\``;
}

/** Offset in `source` of the quote closing the one at `open`, or -1. */
function closingQuote(source: string, open: number): number {
  const quote = source[open];
  for (let index = open + 1; index < source.length; index += 1) {
    const char = source[index];
    if (quote === '"' && char === '\\') index += 1;
    else if (char === quote) {
      if (quote === "'" && source[index + 1] === "'") index += 1;
      else return index;
    }
  }
  return -1;
}

/** Offset in `value` of the bracket closing the one at 0, or -1. */
function closingBracket(value: string): number {
  const open = value[0];
  const close = open === '[' ? ']' : '}';
  let depth = 0;
  for (let index = 0; index < value.length; index += 1) {
    if (value[index] === open) depth += 1;
    else if (value[index] === close) {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

const isText = (rest: string): boolean => rest.trim() !== '' && !/^\s+#/.test(` ${rest}`);

interface Scan {
  readonly source: string;
  readonly lines: readonly SourceLine[];
  readonly error: YAMLError;
  readonly lineNumber: (index: number) => number;
}

function at(
  line: SourceLine,
  column: number,
  problem: { readonly reason: string; readonly ruleId: string },
): YamlProblem {
  return { ...problem, offset: line.start + column };
}

/** A quoted value with more text after its closing quote. */
function quoteProblem(scan: Scan, line: SourceLine): YamlProblem | undefined {
  const open = line.start + line.valueColumn;
  const close = closingQuote(scan.source, open);
  if (close === -1 || close > line.start + line.text.length) return undefined;
  const after = scan.source.slice(close + 1, line.start + line.text.length);
  if (!isText(after)) return undefined;
  const quote = line.value[0] ?? '"';
  if (quote === "'" && /^\S/.test(after)) {
    const inner = line.value.slice(1, line.value.endsWith("'") ? -1 : undefined);
    return at(line, close - line.start, {
      reason: `${subject(line)} starts with \`'\`, so this apostrophe ends it too early; put the value in double quotes instead: \`${fixed(line, inner)}\``,
      ruleId: 'frontmatter-quote',
    });
  }
  return at(line, close + 1 - line.start + (/^\s*/.exec(after)?.[0].length ?? 0), {
    reason: `${subject(line)} starts with a quoted part, and the text after the closing \`${quote}\` is left over; put the whole value in quotes: \`${fixed(line, line.value)}\``,
    ruleId: 'frontmatter-quote',
  });
}

function specialStart(line: SourceLine, scan: Scan): YamlProblem | undefined {
  const first = line.value[0] ?? '';
  if (first === '[' || first === '{') {
    const close = closingBracket(line.value);
    if (close === -1) {
      if (!/flow|[\]}]/i.test(scan.error.message)) return undefined;
      const end = first === '[' ? ']' : '}';
      return at(line, line.valueColumn, {
        reason: `the list that starts with \`${first}\` here is never closed; end it with \`${end}\` on the same line, or, if the \`${first}\` is part of the text, put the whole value in quotes: \`${fixed(line, line.value)}\``,
        ruleId: 'frontmatter-unclosed-bracket',
      });
    }
    if (!isText(line.value.slice(close + 1))) return undefined;
  } else if (first === '|' || first === '>') {
    if (!isText(line.value.slice(1).replace(/^[-+0-9]+/, ''))) return undefined;
  }
  return at(line, line.valueColumn, {
    reason: `${subject(line)} starts with ${first === '`' ? 'a backtick' : `\`${first}\``}, which has a special meaning at the start of a value; put the whole value in quotes: \`${fixed(line, line.value)}\``,
    ruleId: 'frontmatter-special-start',
  });
}

/** A problem a single line shows by itself, whatever the parser said. */
function lineProblem(scan: Scan, line: SourceLine): YamlProblem | undefined {
  if (line.empty || line.value === '') return undefined;
  const first = line.value[0] ?? '';
  if (first === '"' || first === "'") return quoteProblem(scan, line);
  if (line.key !== undefined && /^-(?:\s|$)/.test(line.value)) {
    return at(line, line.valueColumn, {
      reason: `a list cannot start on the same line as \`${line.key}:\`; put each item on its own line below it, indented by two spaces and starting with \`- \``,
      ruleId: 'frontmatter-list-item',
    });
  }
  if (SPECIAL_START.includes(first)) return specialStart(line, scan);
  const colon = /:(?=\s|$)/.exec(line.value);
  if (colon && !/^\s*#/.test(line.value)) {
    const comment = /\s#/.exec(line.value);
    if (comment === null || comment.index > colon.index) {
      return at(line, line.valueColumn + colon.index, {
        reason: `${subject(line)} contains \`:\` followed by a space, which starts another field; put the whole value in quotes: \`${fixed(line, line.value)}\``,
        ruleId: 'frontmatter-colon-in-value',
      });
    }
  }
  return undefined;
}

/** The lines up to `last`, skipping those inside a multi-line quoted or block value. */
function* contentLines(scan: Scan, last: number): Generator<SourceLine> {
  for (let index = 0; index <= last && index < scan.lines.length; index += 1) {
    const line = scan.lines[index];
    if (line === undefined || line.empty) continue;
    yield line;
    const first = line.value[0];
    if (first === '"' || first === "'") {
      const close = closingQuote(scan.source, line.start + line.valueColumn);
      if (close === -1) return;
      while (index + 1 < scan.lines.length && (scan.lines[index + 1]?.start ?? Infinity) <= close)
        index += 1;
    } else if (
      (first === '|' || first === '>') &&
      !isText(line.value.slice(1).replace(/^[-+0-9]+/, ''))
    ) {
      const indent = line.keyColumn;
      while (index + 1 < scan.lines.length) {
        const next = scan.lines[index + 1];
        if (next === undefined || (!next.empty && /^[ \t]*/.exec(next.text)![0].length <= indent))
          break;
        index += 1;
      }
    }
  }
}

function unclosedQuote(scan: Scan): YamlProblem | undefined {
  let open: SourceLine | undefined;
  for (const line of contentLines(scan, scan.lines.length)) {
    const first = line.value[0];
    if (
      (first === '"' || first === "'") &&
      closingQuote(scan.source, line.start + line.valueColumn) === -1
    )
      open = line;
  }
  if (open === undefined) return undefined;
  const quote = open.value[0] ?? '"';
  return at(open, open.valueColumn, {
    reason: `the \`${quote}\` that starts ${subject(open)} is never closed; add a closing \`${quote}\` at the end of the value`,
    ruleId: 'frontmatter-unclosed-quote',
  });
}

function previousContent(scan: Scan, line: SourceLine): SourceLine | undefined {
  for (let index = line.index - 1; index >= 0; index -= 1) {
    const previous = scan.lines[index];
    if (previous !== undefined && !previous.empty) return previous;
  }
  return undefined;
}

function nextContent(scan: Scan, line: SourceLine): SourceLine | undefined {
  for (let index = line.index + 1; index < scan.lines.length; index += 1) {
    const next = scan.lines[index];
    if (next !== undefined && !next.empty) return next;
  }
  return undefined;
}

function misaligned(scan: Scan, line: SourceLine, above: SourceLine): YamlProblem {
  const more = line.keyColumn > above.keyColumn;
  return at(line, line.keyColumn, {
    reason: `\`${line.key ?? line.value}\` is indented ${more ? 'more' : 'less'} than \`${above.key ?? above.value}\` on line ${scan.lineNumber(above.index)}; start it in the same column as \`${above.key ?? above.value}\` (column ${above.keyColumn + 1})`,
    ruleId: 'frontmatter-indent',
  });
}

function duplicateKey(scan: Scan, line: SourceLine): YamlProblem | undefined {
  if (line.key === undefined) return undefined;
  for (let index = line.index - 1; index >= 0; index -= 1) {
    const earlier = scan.lines[index];
    if (earlier === undefined || earlier.empty) continue;
    if (earlier.keyColumn < line.keyColumn && earlier.dash === -1) break;
    if (earlier.key === line.key && earlier.keyColumn === line.keyColumn) {
      return at(line, line.keyColumn, {
        reason: `\`${line.key}\` is given twice (also on line ${scan.lineNumber(earlier.index)}); keep only one of them`,
        ruleId: 'frontmatter-duplicate-key',
      });
    }
  }
  return undefined;
}

/** What the line where the parser stopped says about the cause. */
function errorLineProblem(scan: Scan, line: SourceLine): YamlProblem | undefined {
  const code = scan.error.code;
  if (code === 'DUPLICATE_KEY') return duplicateKey(scan, line);
  const above = previousContent(scan, line);
  const next = nextContent(scan, line);
  if (line.key === undefined) {
    if (line.dash !== -1 && above?.key !== undefined && above.value !== '') {
      return at(line, line.dash, {
        reason: `this list item follows \`${above.key}\`, which already has a value on its line; for a list, leave nothing after \`${above.key}:\` and put each item on its own line, indented, starting with \`- \``,
        ruleId: 'frontmatter-list-item',
      });
    }
    const noSpace = /^([A-Za-z_][\w-]*):(?=\S)/.exec(line.value);
    if (noSpace?.[1] !== undefined) {
      return at(line, line.valueColumn + noSpace[1].length + 1, {
        reason: `put a space after the \`:\` of \`${noSpace[1]}\`: \`${noSpace[1]}: ${line.value.slice(noSpace[1].length + 1)}\``,
        ruleId: 'frontmatter-missing-space',
      });
    }
    const word = /^[A-Za-z_][\w-]*$/.test(line.value);
    const continues =
      above?.key === undefined
        ? ''
        : `; if it continues the value of \`${above.key}\` on the line above, indent it by two spaces`;
    return at(line, line.valueColumn, {
      reason: word
        ? `\`${line.value}\` needs a \`:\` and a value after it: \`${line.value}: …\``
        : `this line is not a field (\`name: value\`)${continues}`,
      ruleId: 'frontmatter-not-a-field',
    });
  }
  if (
    next?.key !== undefined &&
    next.keyColumn > line.keyColumn &&
    line.value !== '' &&
    (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY')
  )
    return misaligned(scan, next, line);
  if (above !== undefined && above.value !== '' && line.keyColumn !== above.keyColumn)
    return misaligned(scan, line, above);
  return undefined;
}

/** The first cause of the parser's errors, in plain words. */
export function explainYamlErrors(
  source: string,
  errors: readonly YAMLError[],
  firstLine: number,
): YamlProblem | undefined {
  const sorted = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const error = sorted[0];
  if (error === undefined) return undefined;
  const lines = splitLines(source);
  const scan: Scan = { source, lines, error, lineNumber: (index) => index + firstLine };
  if (errors.some((item) => item.code === 'TAB_AS_INDENT')) {
    const tabbed = lines.find((line) => /^[ \t]*\t/.test(line.text));
    if (tabbed !== undefined) {
      return at(tabbed, tabbed.text.indexOf('\t'), {
        reason:
          'this line is indented with a tab character; indent the front matter with spaces only (two per level): replace the tab with spaces',
        ruleId: 'frontmatter-tab',
      });
    }
  }
  if (error.code === 'MISSING_CHAR' && /quote/i.test(error.message)) {
    const problem = unclosedQuote(scan);
    if (problem !== undefined) return problem;
  }
  const errorLine = lines.findLast((line) => line.start <= error.pos[0]);
  for (const line of contentLines(scan, errorLine?.index ?? 0)) {
    const problem = lineProblem(scan, line);
    if (problem !== undefined) return problem;
  }
  if (errorLine === undefined || errorLine.empty) return undefined;
  return errorLineProblem(scan, errorLine);
}
