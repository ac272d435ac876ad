/**
 * The memo's Markdown syntax: CommonMark with GFM and directives (remark-parse, remark-gfm,
 * remark-directive), without the GFM autolink literal rules a memo's text cannot match; the
 * e-mail rule alone, tried at every word, cost a fifth of the parse (docs/performance.md).
 * A rule that can never match changes nothing in the tree (tests/markdown-syntax.test.ts
 * compares the trees on every sample and fixture).
 */
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Data, Plugin, Processor } from 'unified';

type Extension = NonNullable<Data['micromarkExtensions']>[number];
type Constructs = NonNullable<Extension['text']>;
type Construct = Extract<NonNullable<Constructs[string]>, readonly unknown[]>[number];

/** GFM's autolink literal rules (micromark-extension-gfm-autolink-literal), by name, and the text each needs. */
const AUTOLINK_LITERALS = {
  emailAutolink: /@/,
  wwwAutolink: /www\./i,
  protocolAutolink: /https?:/i,
} as const;

type Literal = keyof typeof AUTOLINK_LITERALS;
const LITERALS: readonly Literal[] = ['emailAutolink', 'wwwAutolink', 'protocolAutolink'];

/** The autolink literal rules that cannot match in `document`: each needs its text to occur. */
export function impossibleLiterals(document: string): Literal[] {
  return LITERALS.filter((name) => !AUTOLINK_LITERALS[name].test(document));
}

function withoutConstructs(constructs: Constructs, names: ReadonlySet<string>): Constructs {
  const kept: Constructs = {};
  for (const [code, value] of Object.entries(constructs)) {
    if (value === undefined) continue;
    const list: Construct[] = Array.isArray(value) ? value : [value];
    const left = list.filter((construct) => !names.has(construct.name ?? ''));
    if (left.length > 0) kept[code] = left;
  }
  return kept;
}

/** Drops the named text rules from the syntax registered before it. */
function remarkWithout(this: Processor, names: readonly string[]): undefined {
  const drop = new Set(names);
  const extensions = this.data('micromarkExtensions') ?? [];
  this.data(
    'micromarkExtensions',
    extensions.map((extension) =>
      extension.text === undefined
        ? extension
        : { ...extension, text: withoutConstructs(extension.text, drop) },
    ),
  );
}

function syntax(without: readonly Literal[]) {
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkDirective)
    .use(without.length > 0 ? [[remarkWithout, without]] : [])
    .freeze();
}

/** The parser: each memo with the syntax its text can use (made once per processor and variant). */
const remarkMarkdown: Plugin<[], string, Root> = function (this: Processor) {
  const variants = new Map<string, ReturnType<typeof syntax>>();
  this.parser = (document: string): Root => {
    const without = impossibleLiterals(document);
    const key = without.join(' ');
    let parser = variants.get(key);
    if (parser === undefined) {
      parser = syntax(without);
      variants.set(key, parser);
    }
    return parser.parse(document);
  };
};

export default remarkMarkdown;
