/**
 * A crash mid-run (kill -9 of the sending process while the server holds a
 * message): the log on disk still says exactly what was sent, and the next
 * run sends only what is missing, never the message whose outcome is unknown.
 */
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { deliverCopies } from '../../pipeline/archive/distribution/deliver.js';
import {
  LogFile,
  MEMO,
  makeCopies,
  startDeliveryChild,
  startMailServer,
  temporaryFolder,
} from './helpers.js';
import type { MailServer } from './helpers.js';

describe('a crash while sending', () => {
  it('kill -9 mid-message: the log says what was sent; the rerun sends the rest, not the unknown one', async () => {
    let holding: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const mail: MailServer = await startMailServer({
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((address) => address.address);
          // Ben's message is held unanswered; the test kills the sender meanwhile.
          if (to[0] === 'ben@state.example') {
            holding?.();
            return;
          }
          mail.received.push({ secure: session.secure, from: '', to, raw: Buffer.concat(chunks) });
          callback(null, 'queued');
        });
      },
    });
    try {
      const folder = await temporaryFolder('crash');
      const { copies, entries } = await makeCopies(folder);
      const log = await LogFile.create(folder, entries);
      const smtp = {
        host: '127.0.0.1',
        port: mail.port,
        secure: false,
        from: 'memos@policy.example',
      };
      const run = startDeliveryChild({ folder, copies, smtp });
      const ended = run.result.then(
        () => 'exited',
        (error: unknown) => (error instanceof Error ? error.message : 'failed'),
      );
      await Promise.race([held, ended]);
      run.child.kill('SIGKILL');
      expect(await ended).toMatch(/^the delivery child ended with SIGKILL/);
      expect(await log.events()).toEqual(['sending ana-ruiz', 'sent ana-ruiz', 'sending ben-ode']);

      const file = new VFile({ path: 'log.json' });
      const summary = await deliverCopies({
        memo: MEMO,
        copies,
        log: await log.entries(),
        again: false,
        dryRun: false,
        smtp,
        env: {},
        append: (added) => log.append(added),
        now: () => new Date(),
        file,
      });
      expect(summary.sent.map((item) => item.recipient)).toEqual(['dee-fox']);
      expect(summary.alreadySent.map((item) => item.recipient)).toEqual(['ana-ruiz']);
      expect(summary.unknown.map((item) => item.recipient)).toEqual(['ben-ode']);
      expect(file.messages.map((message) => message.ruleId)).toEqual(['delivery-unknown']);
      expect(mail.received.flatMap((message) => message.to)).toEqual([
        'ana@nsc.example',
        'dee@state.example',
      ]);
    } finally {
      await mail.close();
    }
  });
});
