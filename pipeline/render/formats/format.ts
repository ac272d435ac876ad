/**
 * What an output format declares: its name, the file it writes beside the
 * others in `<out>/<slug>/`, whether it needs the browser, and how it renders
 * a compiled memo. The registry (index.ts) lists them; build, cache and the
 * CLI loop over it and know no format by name.
 */
import type { VFile } from 'vfile';
import type { MemoView } from '../view.js';

/** What a format renders from: the compiled memo and the run's means. */
export interface FormatInput {
  /** The memo's vfile: problems go on it; `file.data` holds the body and notes trees. */
  readonly file: VFile;
  readonly view: MemoView;
  /** The memo's HTML document (rendered once per memo, however many formats use it). */
  readonly html: () => string;
  /** Print the HTML document with the run's browser; undefined (with a message on `file`) when it failed. */
  readonly print: () => Promise<Uint8Array | undefined>;
  /** The run's environment (SOURCE_DATE_EPOCH fixes the dates of binary formats). */
  readonly env: NodeJS.ProcessEnv;
}

export interface OutputFormat {
  readonly name: string;
  /** The file it writes in the memo's output folder: `memo.pdf`. */
  readonly fileName: string;
  readonly needsBrowser: boolean;
  /** One line for `--help` and docs. */
  readonly description: string;
  /** The file's bytes, or undefined when it failed (the reason is an error on `input.file`). */
  render(input: FormatInput): Promise<string | Uint8Array | undefined>;
}
