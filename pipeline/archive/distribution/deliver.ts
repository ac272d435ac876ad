/**
 * E-mail delivery of numbered copies (`memo distribute --send | --dry-run`):
 * one message per recipient, one SMTP transaction each, one after the other.
 *
 * The distribution log is the only state. Before a transaction starts a
 * `sending` entry is appended (durably, by the injected `append`), after it
 * `sent` or `failed`; so a crash or Ctrl-C at any point leaves a log that
 * says what was sent, and a `sending` with no outcome is reported as
 * "unknown, may have been sent" and is never sent again without `again`.
 * A recipient is sent to once per version: a rerun sends only to those not
 * yet `sent`. A failure is logged and the next recipient is tried.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { VFile } from 'vfile';
import type { SmtpConfig } from '../../config/schema.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { readBounded } from '../../io/read-bounded.js';
import { fail, warn } from '../../messages.js';
import type { DeliveryEntry, LogEntry } from './log-schema.js';
import { messageOf } from './message.js';
import type { DeliveryCopy, DeliveryMemo } from './message.js';
import { describeSendFailure, transportSettings } from './smtp.js';

export type { DeliveryCopy, DeliveryMemo } from './message.js';

/** A copy larger than this is not read into a message (mail servers refuse far smaller ones). */
const MAX_COPY_BYTES = 64 * 1024 * 1024;

export const NO_ADDRESS = 'no address';

export interface DeliverOptions {
  readonly memo: DeliveryMemo;
  /** The copies to deliver (all of the version's, or those `--to` chose). */
  readonly copies: readonly DeliveryCopy[];
  /** The version's log entries so far, oldest first. */
  readonly log: readonly LogEntry[];
  /** Send also to recipients already sent to (or whose outcome is unknown). */
  readonly again: boolean;
  /** Write each message as `copy-NN-<id>.eml` beside its copy instead of sending it. */
  readonly dryRun: boolean;
  readonly smtp: SmtpConfig | undefined;
  /** The run's environment: the password is read from `env[smtp.passwordEnv]`. */
  readonly env: NodeJS.ProcessEnv;
  /** Append entries to the log durably (written and flushed) before resolving. */
  readonly append: (entries: readonly DeliveryEntry[]) => Promise<void>;
  readonly now: () => Date;
  /** Ctrl-C: no new transaction starts; the one under way is cut off and stays "unknown". */
  readonly signal?: AbortSignal | undefined;
  /** Problems are recorded here (rule ids `smtp-setup`, `delivery-failed`, `delivery-unknown`). */
  readonly file: VFile;
}

export interface DeliveryOutcome {
  readonly copy: number;
  readonly recipient: string;
  readonly name: string;
  /** The address, where there is one. */
  readonly to: string | null;
  /** sent: the Message-ID; failed: the reason; written: the .eml file name; others: when it happened. */
  readonly detail: string;
}

export interface DeliverySummary {
  readonly sent: DeliveryOutcome[];
  readonly failed: DeliveryOutcome[];
  /** Dry run: the messages written as .eml files. */
  readonly written: DeliveryOutcome[];
  /** Recipients without an address (logged `not-sent` once, on the first run that met them). */
  readonly noAddress: DeliveryOutcome[];
  /** Sent by an earlier run; not sent again. */
  readonly alreadySent: DeliveryOutcome[];
  /** A send started and has no outcome (a crash or Ctrl-C): it may have been sent. */
  readonly unknown: DeliveryOutcome[];
  /** The signal stopped the run before every copy was handled. */
  stopped: boolean;
}

/** What the log says of one recipient. */
interface RecipientState {
  sentAt?: string;
  /** A `sending` not followed by an outcome of the same copy. */
  pendingAt?: string;
  noAddressLogged: boolean;
}

function statesOf(log: readonly LogEntry[]): Map<string, RecipientState> {
  const states = new Map<string, RecipientState>();
  for (const entry of log) {
    if (entry.event === 'copy' || entry.event === 'dry-run') continue;
    const state = states.get(entry.recipient) ?? { noAddressLogged: false };
    states.set(entry.recipient, state);
    if (entry.event === 'sending') state.pendingAt = entry.at;
    else if (entry.event === 'not-sent') state.noAddressLogged ||= entry.reason === NO_ADDRESS;
    else {
      delete state.pendingAt;
      if (entry.event === 'sent') state.sentAt = entry.at;
    }
  }
  return states;
}

const pad = (copy: number): string => String(copy).padStart(2, '0');

function outcome(copy: DeliveryCopy, detail: string): DeliveryOutcome {
  return { copy: copy.copy, recipient: copy.recipient, name: copy.name, to: copy.email, detail };
}

/** The copy's bytes, or why they cannot be sent (missing, or changed since the log recorded its hash). */
async function readCopy(
  copy: DeliveryCopy,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; error: string }> {
  const read = await readBounded(copy.path, MAX_COPY_BYTES);
  if (!read.ok) {
    return {
      ok: false,
      error: `the copy ${path.basename(copy.path)} could not be read (${read.problem}); make the copies again with \`memo distribute\``,
    };
  }
  const hash = createHash('sha256').update(read.bytes).digest('hex');
  if (hash !== copy.sha256) {
    return {
      ok: false,
      error: `the copy ${path.basename(copy.path)} was changed after it was made (its SHA-256 is not the one in the log), so it was not sent; make the copies again with \`memo distribute\``,
    };
  }
  return { ok: true, bytes: read.bytes };
}

function emlName(copy: DeliveryCopy): string {
  return `${path.basename(copy.path, path.extname(copy.path))}.eml`;
}

/**
 * Deliver `options.copies`. Resolves with what happened; rejects only when
 * `append` fails (the log could not be written, so nothing more is sent).
 */
export async function deliverCopies(options: DeliverOptions): Promise<DeliverySummary> {
  const { memo, file } = options;
  const summary: DeliverySummary = {
    sent: [],
    failed: [],
    written: [],
    noAddress: [],
    alreadySent: [],
    unknown: [],
    stopped: false,
  };
  const smtp = options.smtp;
  // A dry run needs only `smtp.from`; sending needs the server and the password as well.
  const settings = transportSettings(smtp, options.dryRun ? {} : options.env);
  if (smtp === undefined || (!settings.ok && !options.dryRun)) {
    if (!settings.ok) fail(file, settings.reason, undefined, 'smtp-setup');
    return summary;
  }
  const stoppedNow = (): boolean => options.signal?.aborted === true;
  const at = (): string => options.now().toISOString();
  const states = statesOf(options.log);
  const transport =
    !options.dryRun && settings.ok ? nodemailer.createTransport(settings.options) : undefined;
  try {
    for (const copy of options.copies) {
      if (stoppedNow()) {
        summary.stopped = true;
        break;
      }
      const state = states.get(copy.recipient) ?? { noAddressLogged: false };
      const label = `copy ${pad(copy.copy)} (${copy.name})`;
      if (copy.email === null) {
        if (!state.noAddressLogged) {
          const when = at();
          await options.append([
            {
              event: 'not-sent',
              copy: copy.copy,
              recipient: copy.recipient,
              at: when,
              reason: NO_ADDRESS,
            },
          ]);
          summary.noAddress.push(outcome(copy, when));
        } else summary.noAddress.push(outcome(copy, 'recorded earlier'));
        continue;
      }
      const to = copy.email;
      if (!options.again && state.sentAt !== undefined) {
        summary.alreadySent.push(outcome(copy, state.sentAt));
        continue;
      }
      if (!options.again && state.pendingAt !== undefined) {
        summary.unknown.push(outcome(copy, state.pendingAt));
        warn(
          file,
          `${label}: unknown whether it reached ${to}: a run started sending it at ${state.pendingAt} and stopped before the server answered; ask the recipient, and if it did not arrive send it once more with \`--to ${copy.recipient} --send --again\``,
          undefined,
          'delivery-unknown',
        );
        continue;
      }
      const read = await readCopy(copy);
      if (!read.ok) {
        await options.append([
          {
            event: 'failed',
            copy: copy.copy,
            recipient: copy.recipient,
            to,
            at: at(),
            error: read.error,
          },
        ]);
        summary.failed.push(outcome(copy, read.error));
        fail(file, `${label} was not sent to ${to}: ${read.error}`, undefined, 'delivery-failed');
        continue;
      }
      const mail = {
        ...messageOf(memo, { ...copy, email: to }, smtp.from, read.bytes),
        date: options.now(),
      };
      if (transport === undefined) {
        const eml = emlName(copy);
        const bytes = await new MailComposer(mail).compile().build();
        await writeFileAtomic(path.join(path.dirname(copy.path), eml), bytes);
        await options.append([
          { event: 'dry-run', copy: copy.copy, recipient: copy.recipient, to, at: at(), eml },
        ]);
        summary.written.push(outcome(copy, eml));
        continue;
      }
      await options.append([
        { event: 'sending', copy: copy.copy, recipient: copy.recipient, to, at: at() },
      ]);
      try {
        const info = await transport.sendMail({ ...mail, signal: options.signal });
        await options.append([
          {
            event: 'sent',
            copy: copy.copy,
            recipient: copy.recipient,
            to,
            at: at(),
            messageId: info.messageId,
            response: info.response,
          },
        ]);
        summary.sent.push(outcome(copy, info.messageId));
        // Without `again`, a recipient listed twice in one run is sent to once.
        states.set(copy.recipient, { ...state, sentAt: options.now().toISOString() });
      } catch (error) {
        if (stoppedNow()) {
          // Cut off mid-transaction: the server may have the message. The log keeps `sending`.
          summary.unknown.push(outcome(copy, 'stopped while sending'));
          summary.stopped = true;
          warn(
            file,
            `${label}: unknown whether it reached ${to}: the run was stopped while sending it; ask the recipient, and if it did not arrive send it once more with \`--to ${copy.recipient} --send --again\``,
            undefined,
            'delivery-unknown',
          );
          break;
        }
        const failure = describeSendFailure(error, to, smtp);
        await options.append([
          {
            event: 'failed',
            copy: copy.copy,
            recipient: copy.recipient,
            to,
            at: at(),
            error: failure.error,
            ...(failure.response === undefined ? {} : { response: failure.response }),
          },
        ]);
        summary.failed.push(outcome(copy, failure.error));
        fail(
          file,
          `${label} was not sent to ${to}: ${failure.error}; sending again (\`--send\`) tries only the copies not yet sent`,
          undefined,
          'delivery-failed',
        );
      }
    }
  } finally {
    transport?.close();
  }
  return summary;
}

/** The summary as the lines `memo distribute` prints (stdout). */
export function summaryLines(summary: DeliverySummary): string[] {
  const lines: string[] = [];
  const list = (items: readonly DeliveryOutcome[], say: (item: DeliveryOutcome) => string) =>
    items.map((item) => `  copy ${pad(item.copy)} ${item.name}${say(item)}`);
  if (summary.written.length > 0) {
    lines.push(`written (dry run, nothing sent): ${String(summary.written.length)}`);
    lines.push(...list(summary.written, (item) => ` <${item.to ?? ''}>: ${item.detail}`));
  }
  lines.push(`sent: ${String(summary.sent.length)}`);
  lines.push(...list(summary.sent, (item) => ` <${item.to ?? ''}>`));
  if (summary.failed.length > 0) {
    lines.push(`failed: ${String(summary.failed.length)}`);
    lines.push(...list(summary.failed, (item) => ` <${item.to ?? ''}>: ${item.detail}`));
  }
  const skipped = summary.alreadySent.length + summary.noAddress.length + summary.unknown.length;
  if (skipped > 0) {
    lines.push(`not sent: ${String(skipped)}`);
    lines.push(...list(summary.alreadySent, (item) => `: already sent (${item.detail})`));
    lines.push(...list(summary.noAddress, () => `: ${NO_ADDRESS}`));
    lines.push(...list(summary.unknown, () => ': unknown, may have been sent'));
  }
  if (summary.stopped) lines.push('stopped before every copy was handled');
  return lines;
}
