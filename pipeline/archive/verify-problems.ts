/** The problems `memo verify` finds, one vfile per path (relative to the working directory). */
import path from 'node:path';
import { VFile } from 'vfile';
import { fail, warn } from '../messages.js';

/** How a derived page that is wrong or gone is put right (verify.ts `repairArchive`). */
export const REWRITE = '`memo verify --repair` rewrites it from versions.json and the manifests';

export class Problems {
  readonly byPath = new Map<string, VFile>();
  /** Errors on anything but a derived page (index, series pages, redlines): `--repair` cannot fix those. */
  errorsBeyondRepair = 0;
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
    this.errorsBeyondRepair += 1;
    fail(this.fileFor(target), reason, undefined, rule);
  }
  /** An error on a derived page, which `memo verify --repair` rewrites. */
  derived(target: string, reason: string, rule: string): void {
    fail(this.fileFor(target), reason, undefined, rule);
  }
  warning(target: string, reason: string, rule: string): void {
    warn(this.fileFor(target), reason, undefined, rule);
  }
}

export const short = (hash: string) => hash.slice(0, 12);
