/**
 * `memo distribute --send | --dry-run`: the copies a distribute run chose
 * (made now or before), each with its recipient's address from the current
 * config, handed to deliverCopies from distributeCopies' `afterLogged` step,
 * so delivery runs under the memo's lock and appends to the same log.
 */
import path from 'node:path';
import type { VFile } from 'vfile';
import type { ProjectConfig } from '../../config/index.js';
import { deliverCopies } from './deliver.js';
export { summaryLines } from './deliver.js';
import type { DeliveryCopy, DeliveryMemo, DeliverySummary } from './deliver.js';
import type { Distributed } from './distribute.js';
import type { DeliveryEntry } from './log-schema.js';

export interface SendRequest {
  readonly config: Pick<ProjectConfig, 'recipients' | 'smtp'>;
  /** Send also to recipients already sent to (or whose outcome is unknown). */
  readonly again: boolean;
  /** Write `.eml` files beside the copies instead of sending. */
  readonly dryRun: boolean;
  /** The run's environment (the SMTP password variable). */
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => Date;
  /** Ctrl-C: no new message is started. */
  readonly signal?: AbortSignal | undefined;
  /** Where delivery problems are recorded. */
  readonly file: VFile;
}

/** The published version as the message describes it. */
export function deliveryMemoOf(distributed: Distributed): DeliveryMemo {
  const { manifest } = distributed;
  return {
    slug: distributed.slug,
    version: distributed.version,
    title: manifest.title,
    classification: manifest.memo.classification ?? undefined,
    summary: manifest.memo.summary ?? undefined,
  };
}

/** The copies of this run's recipients (new and earlier ones), in number order. */
export function deliveryCopiesOf(
  distributed: Distributed,
  recipients: ProjectConfig['recipients'],
): DeliveryCopy[] {
  const people = recipients ?? {};
  return [...distributed.existing, ...distributed.made]
    .sort((a, b) => a.copy - b.copy)
    .map((copy) => ({
      copy: copy.copy,
      of: copy.of,
      recipient: copy.recipient,
      name: copy.name,
      office: copy.office,
      email:
        (Object.hasOwn(people, copy.recipient) ? people[copy.recipient]?.email : undefined) ?? null,
      path: path.join(distributed.folder, copy.file),
      sha256: copy.sha256,
    }));
}

/** Deliver the copies of a distribute run (its `afterLogged` step, under the memo's lock). */
export function deliverDistributed(
  distributed: Distributed,
  append: (entries: readonly DeliveryEntry[]) => Promise<void>,
  request: SendRequest,
): Promise<DeliverySummary> {
  return deliverCopies({
    memo: deliveryMemoOf(distributed),
    copies: deliveryCopiesOf(distributed, request.config.recipients),
    log: distributed.log.entries,
    again: request.again,
    dryRun: request.dryRun,
    smtp: request.config.smtp,
    env: request.env,
    append,
    now: request.now,
    signal: request.signal,
    file: request.file,
  });
}
