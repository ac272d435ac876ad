/**
 * Watching what the preview depends on, with `fs.watch` (inotify on Linux).
 *
 * - The memo: its *folder* is watched, not the file, and events are filtered
 *   by name. Editors that save by writing a temporary file and renaming it
 *   over the memo (vim, many IDEs) replace the file's inode, which would end
 *   a watch on the file itself; the folder's watch sees the rename under the
 *   memo's name and lives on, so there is nothing to re-establish.
 * - Templates, styles, the project's own templates: recursive watches (Node
 *   ≥ 20 supports `recursive` on Linux; checked: rename-saves and new
 *   subfolders are seen).
 * - If a watched folder goes away (watch error) or does not exist yet, the
 *   watch is re-established as soon as it is there.
 *
 * Bursts of events (one save is often 2–4 events) are merged: the callback
 * runs once, DEBOUNCE_MS after the last event.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';

/** Long enough to merge one save's events, short against the 250 ms save-to-screen target. */
const DEBOUNCE_MS = 30;
const RETRY_MS = 250;

export interface WatchSpec {
  /** Identifies the spec across `set` calls. */
  readonly id: string;
  readonly folder: string;
  readonly recursive: boolean;
  /** A change here means config, templates or styles: the session must be reopened. */
  readonly reopen: boolean;
  /** Which file names count (null: the system did not say); default all. */
  readonly accept?: (name: string | null) => boolean;
}

export interface Change {
  readonly reopen: boolean;
}

export interface Watcher {
  /** Watch exactly `specs` from now on (starting and stopping watches as needed). */
  set(specs: readonly WatchSpec[]): void;
  close(): void;
}

interface Active {
  watcher: FSWatcher | undefined;
  retry: NodeJS.Timeout | undefined;
  stopped: boolean;
}

export function createWatcher(onChange: (change: Change) => void): Watcher {
  let timer: NodeJS.Timeout | undefined;
  let reopen = false;
  const active = new Map<string, Active>();

  const changed = (spec: WatchSpec): void => {
    reopen ||= spec.reopen;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const change = { reopen };
      reopen = false;
      onChange(change);
    }, DEBOUNCE_MS);
  };

  const start = (spec: WatchSpec, state: Active): void => {
    if (state.stopped) return;
    try {
      const watcher = watch(spec.folder, { recursive: spec.recursive }, (_event, name) => {
        if (spec.accept === undefined || spec.accept(name)) changed(spec);
      });
      state.watcher = watcher;
      watcher.on('error', () => {
        watcher.close();
        state.watcher = undefined;
        changed(spec); // something happened to the folder: rebuild to show it
        start(spec, state);
      });
    } catch {
      // Not there (yet): try again shortly.
      state.retry = setTimeout(() => start(spec, state), RETRY_MS);
    }
  };

  const stop = (state: Active): void => {
    state.stopped = true;
    clearTimeout(state.retry);
    state.watcher?.close();
  };

  return {
    set(specs) {
      const wanted = new Map(specs.map((spec) => [spec.id, spec]));
      for (const [id, state] of active) {
        if (!wanted.has(id)) {
          stop(state);
          active.delete(id);
        }
      }
      for (const [id, spec] of wanted) {
        if (active.has(id)) continue;
        const state: Active = { watcher: undefined, retry: undefined, stopped: false };
        active.set(id, state);
        start(spec, state);
      }
    },
    close() {
      clearTimeout(timer);
      for (const state of active.values()) stop(state);
      active.clear();
    },
  };
}
