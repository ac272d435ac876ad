/** The problems `memo verify` finds, one vfile per path (relative to the working directory). */
import path from 'node:path';
import { VFile } from 'vfile';
import { fail, warn } from '../messages.js';

export class Problems {
  readonly byPath = new Map<string, VFile>();
  constructor(private readonly cwd: string) {}
  private fileFor(target: string): VFile {
    const relative = path.relative(this.cwd, target) || '.';
    let file = this.byPath.get(relative);
    if (file === undefined) {
      file = new VFile({ path: relative, cwd: this.cwd });
      this.byPath.set(relative, file);
    }
    return file;
  }
  error(target: string, reason: string, rule: string): void {
    fail(this.fileFor(target), reason, undefined, rule);
  }
  warning(target: string, reason: string, rule: string): void {
    warn(this.fileFor(target), reason, undefined, rule);
  }
}

export const short = (hash: string) => hash.slice(0, 12);
