import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { compileMemo } from '../../pipeline/compile.js';
import type { MemoView } from '../../pipeline/render/view.js';
import { formatCompact } from '../../pipeline/cli/report.js';
import { createProcessor } from '../../pipeline/unified/processor.js';

export interface Compiled {
  readonly file: VFile;
  readonly view: MemoView | undefined;
  /** `input.md:line:column: severity message [rule]` lines. */
  readonly report: string;
}

const processor = createProcessor();

/** Compile a source file the way `memo build` does, without rendering. */
export async function compileFile(file: string): Promise<Compiled> {
  const vfile = new VFile({ path: file, value: await readFile(file) });
  const view = await compileMemo(vfile, { processor, generator: 'memo-press test' });
  const named = new VFile({ path: path.basename(file) });
  named.messages.push(...vfile.messages);
  return {
    file: vfile,
    view,
    report: formatCompact([named], { reporter: 'compact', color: false }),
  };
}
