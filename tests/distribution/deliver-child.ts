/**
 * One delivery run in a child process (`node --import tsx deliver-child.ts
 * '<json>'`), for the TLS tests: the child trusts a test authority through
 * NODE_EXTRA_CA_CERTS, as a user with an organisation's own authority would.
 * Prints the summary and the messages as JSON on stdout.
 */
import { VFile } from 'vfile';
import { deliverCopies } from '../../pipeline/archive/distribution/deliver.js';
import type { DeliveryCopy } from '../../pipeline/archive/distribution/deliver.js';
import type { SmtpConfig } from '../../pipeline/config/schema.js';
import { LogFile, MEMO } from './helpers.js';

interface ChildArguments {
  readonly folder: string;
  readonly copies: DeliveryCopy[];
  readonly smtp: SmtpConfig;
}

const input: ChildArguments = JSON.parse(process.argv[2] ?? '{}') as ChildArguments; // written by deliver-tls.test.ts
const log = LogFile.open(input.folder);
const file = new VFile({ path: 'log.json' });
const summary = await deliverCopies({
  memo: MEMO,
  copies: input.copies,
  log: await log.entries(),
  again: false,
  dryRun: false,
  smtp: input.smtp,
  env: {},
  append: (entries) => log.append(entries),
  now: () => new Date(),
  file,
});
process.stdout.write(
  JSON.stringify({ summary, messages: file.messages.map((message) => message.reason) }),
);
