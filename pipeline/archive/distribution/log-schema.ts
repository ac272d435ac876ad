/**
 * `<archive>/<slug>/distribution/v<N>/log.json`: the record of every numbered
 * copy made of one published version and of every delivery attempt. It only
 * ever grows: each run appends entries (written atomically, whole file), and
 * never changes or removes one, so the log always says what happened, in the
 * order it happened. The current state of a copy is the fold of its entries.
 */
import { z } from 'zod';

export const DISTRIBUTION_LOG_FORMAT = 'memo-press-distribution/1';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/u);
const instant = z.iso.datetime();
const recipientId = z.string().min(1);
const copyNumber = z.number().int().min(1);

/** One numbered copy was made (stamped "Copy NN of MM — Name, Office"). */
export const copyEntrySchema = z.strictObject({
  event: z.literal('copy'),
  copy: copyNumber,
  of: copyNumber,
  recipient: recipientId,
  name: z.string().min(1),
  office: z.string().min(1),
  /** File name inside the log's folder, e.g. `copy-03-jane-doe.pdf`. */
  file: z.string().min(1),
  sha256,
  at: instant,
  /** The approval the copy was made under (approvals.json), when it was approved. */
  approved: z.strictObject({ by: z.string().min(1), at: instant }).optional(),
  /** The reason given with `--force` when the version was not approved. */
  forced: z.string().min(1).optional(),
});

/** Written just before the SMTP transaction starts: a crash after it leaves "sending" (unknown outcome). */
export const sendingEntrySchema = z.strictObject({
  event: z.literal('sending'),
  copy: copyNumber,
  recipient: recipientId,
  to: z.string().min(1),
  at: instant,
});

/** The server accepted the message. */
export const sentEntrySchema = z.strictObject({
  event: z.literal('sent'),
  copy: copyNumber,
  recipient: recipientId,
  to: z.string().min(1),
  at: instant,
  messageId: z.string().min(1),
  /** The server's final reply, e.g. `250 2.0.0 OK queued`. */
  response: z.string(),
});

/** The server refused, the connection failed, or authentication failed. */
export const failedEntrySchema = z.strictObject({
  event: z.literal('failed'),
  copy: copyNumber,
  recipient: recipientId,
  to: z.string().min(1),
  at: instant,
  /** A plain sentence, e.g. `the server refused the address (550 5.1.1 no such user)`. */
  error: z.string().min(1),
  response: z.string().optional(),
});

/** A copy that was not e-mailed, and why (e.g. `no address`). */
export const notSentEntrySchema = z.strictObject({
  event: z.literal('not-sent'),
  copy: copyNumber,
  recipient: recipientId,
  at: instant,
  reason: z.string().min(1),
});

/** `--dry-run`: the message was written as an .eml file beside the copy instead of sent. */
export const dryRunEntrySchema = z.strictObject({
  event: z.literal('dry-run'),
  copy: copyNumber,
  recipient: recipientId,
  to: z.string().min(1),
  at: instant,
  eml: z.string().min(1),
});

export const deliveryEntrySchema = z.discriminatedUnion('event', [
  sendingEntrySchema,
  sentEntrySchema,
  failedEntrySchema,
  notSentEntrySchema,
  dryRunEntrySchema,
]);

export const logEntrySchema = z.discriminatedUnion('event', [
  copyEntrySchema,
  sendingEntrySchema,
  sentEntrySchema,
  failedEntrySchema,
  notSentEntrySchema,
  dryRunEntrySchema,
]);

export const distributionLogSchema = z.strictObject({
  format: z.literal(DISTRIBUTION_LOG_FORMAT),
  memo: z.string().min(1),
  version: z.number().int().min(1),
  /** SHA-256 of the published memo.pdf the copies were made from. */
  source_sha256: sha256,
  entries: z.array(logEntrySchema),
});

export type CopyEntry = z.output<typeof copyEntrySchema>;
export type DeliveryEntry = z.output<typeof deliveryEntrySchema>;
export type LogEntry = z.output<typeof logEntrySchema>;
export type DistributionLog = z.output<typeof distributionLogSchema>;
