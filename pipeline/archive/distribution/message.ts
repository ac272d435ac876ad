/**
 * The e-mail that carries one numbered copy: subject, a short plain-text and
 * HTML body (the summary, what is attached, its SHA-256), the copy attached.
 * The HTML is a hast tree serialised by hast-util-to-html, so every value is
 * escaped; nothing in it loads or runs anything.
 */
import path from 'node:path';
import type { Root } from 'hast';
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import type { MailComposerOptions } from 'nodemailer/lib/mail-composer';

/** The published version the copies are of. */
export interface DeliveryMemo {
  readonly slug: string;
  readonly version: number;
  readonly title: string;
  /** The memo's classification marking (`UNCLASSIFIED`), if it has one. */
  readonly classification?: string | undefined;
  /** The memo's summary as plain text, if it has one. */
  readonly summary?: string | undefined;
}

/** One numbered copy and the recipient it was made for. */
export interface DeliveryCopy {
  readonly copy: number;
  /** How many copies of this version were made ("copy 3 of 12"). */
  readonly of: number;
  readonly recipient: string;
  readonly name: string;
  readonly office: string;
  /** The recipient's address; null: the copy is not e-mailed ("no address"). */
  readonly email: string | null;
  /** Absolute path of the copy, `…/distribution/v<N>/copy-NN-<id>.pdf`. */
  readonly path: string;
  readonly sha256: string;
}

const pad = (copy: number): string => String(copy).padStart(2, '0');

export function subjectOf(memo: DeliveryMemo, copy: DeliveryCopy): string {
  const marking = memo.classification === undefined ? '' : `[${memo.classification}] `;
  return `${marking}${memo.title} (version ${String(memo.version)}, copy ${pad(copy.copy)})`;
}

function lines(memo: DeliveryMemo, copy: DeliveryCopy) {
  return {
    heading: `${memo.title}, version ${String(memo.version)}`,
    attached: `Attached: ${path.basename(copy.path)}, numbered copy ${pad(copy.copy)} of ${pad(copy.of)}, made for ${copy.name}, ${copy.office}.`,
    hash: 'SHA-256 of the attached file:',
    record: `This copy is recorded in the distribution log of ${memo.slug}, version ${String(memo.version)}.`,
  };
}

export function textBody(memo: DeliveryMemo, copy: DeliveryCopy): string {
  const text = lines(memo, copy);
  const marking = memo.classification === undefined ? [] : [memo.classification, ''];
  const summary = memo.summary === undefined ? [] : [memo.summary, ''];
  return [
    ...marking,
    text.heading,
    '',
    ...summary,
    text.attached,
    `${text.hash} ${copy.sha256}`,
    '',
    text.record,
    ...(memo.classification === undefined ? [] : ['', memo.classification]),
    '',
  ].join('\n');
}

export function htmlBody(memo: DeliveryMemo, copy: DeliveryCopy): string {
  const text = lines(memo, copy);
  const marking =
    memo.classification === undefined ? [] : [h('p', h('strong', memo.classification))];
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', [
        h('head', [h('meta', { charset: 'utf-8' }), h('title', subjectOf(memo, copy))]),
        h('body', [
          ...marking,
          h('h1', text.heading),
          ...(memo.summary === undefined ? [] : [h('p', memo.summary)]),
          h('p', text.attached),
          h('p', [text.hash, ' ', h('code', copy.sha256)]),
          h('p', text.record),
          ...marking,
        ]),
      ]),
    ],
  };
  return toHtml(tree);
}

/** The whole message (headers, both bodies, the copy as `application/pdf`). */
export function messageOf(
  memo: DeliveryMemo,
  copy: DeliveryCopy & { readonly email: string },
  from: string,
  pdf: Uint8Array,
): MailComposerOptions {
  return {
    from,
    to: { name: copy.name, address: copy.email },
    subject: subjectOf(memo, copy),
    text: textBody(memo, copy),
    html: htmlBody(memo, copy),
    headers: {
      'X-Memo-Press-Copy': `${memo.slug} v${String(memo.version)} copy ${pad(copy.copy)} ${copy.recipient}`,
    },
    attachments: [
      {
        filename: path.basename(copy.path),
        content: Buffer.from(pdf),
        contentType: 'application/pdf',
      },
    ],
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
