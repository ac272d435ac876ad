/**
 * E-mail delivery of numbered copies against a real SMTP server on
 * 127.0.0.1 (smtp-server), each test starting and stopping its own: what
 * arrives (recipients, subject, attachment bytes, parsed with mailparser),
 * what the log says, and that a rerun sends only what is missing, after an
 * authentication failure, a refused connection, a rejected recipient, a
 * dropped connection, a Ctrl-C and a crash.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { VFile } from 'vfile';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverCopies, summaryLines } from '../../pipeline/archive/distribution/deliver.js';
import type { DeliverOptions, DeliveryCopy } from '../../pipeline/archive/distribution/deliver.js';
import type { SmtpConfig } from '../../pipeline/config/schema.js';
import {
  LogFile,
  MEMO,
  closedPort,
  makeCopies,
  parse,
  sha256,
  startMailServer,
  temporaryFolder,
} from './helpers.js';
import type { MailServer } from './helpers.js';

const servers: MailServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(options: Parameters<typeof startMailServer>[0] = {}): Promise<MailServer> {
  const started = await startMailServer(options);
  servers.push(started);
  return started;
}

function smtpAt(port: number, extra: Partial<SmtpConfig> = {}): SmtpConfig {
  return {
    host: '127.0.0.1',
    port,
    secure: false,
    from: 'Policy Office <memos@policy.example>',
    ...extra,
  };
}

interface Setup {
  readonly folder: string;
  readonly copies: DeliveryCopy[];
  readonly log: LogFile;
}

async function setup(): Promise<Setup> {
  const folder = await temporaryFolder('run');
  const { copies, entries } = await makeCopies(folder);
  return { folder, copies, log: await LogFile.create(folder, entries) };
}

let clock = Date.parse('2026-03-02T09:00:00.000Z');

/** One `memo distribute --send` run: the log as it is on disk now, appends going to it. */
async function run(
  { copies, log }: Setup,
  smtp: SmtpConfig | undefined,
  extra: Partial<DeliverOptions> = {},
) {
  const file = new VFile({ path: 'archive/border-water/distribution/v2/log.json' });
  const options: DeliverOptions = {
    memo: MEMO,
    copies,
    log: await log.entries(),
    again: false,
    dryRun: false,
    smtp,
    env: {},
    append: (entries) => log.append(entries),
    now: () => new Date((clock += 1000)),
    file,
    ...extra,
  };
  const summary = await deliverCopies(options);
  const messages = file.messages.map((message) => `${message.ruleId ?? ''}: ${message.reason}`);
  return { summary, messages };
}

const sentTo = (mail: MailServer): string[] => mail.received.flatMap((message) => message.to);

describe('deliverCopies against a real SMTP server', () => {
  it('sends one message per recipient with an address, with the copy attached, and logs it', async () => {
    const mail = await server();
    const setupDone = await setup();
    const { summary, messages } = await run(setupDone, smtpAt(mail.port));

    expect(messages).toEqual([]);
    expect(sentTo(mail)).toEqual(['ana@nsc.example', 'ben@state.example', 'dee@state.example']);
    expect(summary.sent.map((item) => item.recipient)).toEqual(['ana-ruiz', 'ben-ode', 'dee-fox']);
    expect(summary.noAddress.map((item) => item.recipient)).toEqual(['cy-lam']);

    const [first] = mail.received;
    if (first === undefined) throw new Error('nothing received');
    expect(first.from).toBe('memos@policy.example');
    const parsed = await parse(first);
    expect(parsed.subject).toBe(
      '[UNCLASSIFIED//FOUO] Water & power on the border <script>alert(1)</script> (version 2, copy 01)',
    );
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([
      { name: 'Ana Ruiz', address: 'ana@nsc.example' },
    ]);
    const copy = setupDone.copies[0];
    if (copy === undefined) throw new Error('no copy');
    const [attachment, ...others] = parsed.attachments;
    expect(others).toEqual([]);
    expect(attachment?.filename).toBe('copy-01-ana-ruiz.pdf');
    expect(attachment?.contentType).toBe('application/pdf');
    expect(attachment?.content.equals(await readFile(copy.path))).toBe(true);
    expect(parsed.text).toContain(MEMO.summary);
    expect(parsed.text).toContain(`SHA-256 of the attached file: ${copy.sha256}`);
    expect(parsed.text).toContain(
      'numbered copy 01 of 04, made for Ana Ruiz, National Security Council',
    );
    // The HTML body says the same, every value escaped: the title's markup is text.
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).toContain('Water &#x26; power on the border &#x3C;script>alert(1)&#x3C;/script>');
    expect(html).not.toContain('<script>');
    expect(html).toContain(`<code>${copy.sha256}</code>`);

    const entries = await setupDone.log.entries();
    expect(await setupDone.log.events()).toEqual([
      'sending ana-ruiz',
      'sent ana-ruiz',
      'sending ben-ode',
      'sent ben-ode',
      'not-sent cy-lam',
      'sending dee-fox',
      'sent dee-fox',
    ]);
    const sent = entries.filter((entry) => entry.event === 'sent');
    expect(sent.map((entry) => entry.messageId)).toEqual(
      await Promise.all(mail.received.map(async (message) => (await parse(message)).messageId)),
    );
    expect(sent.every((entry) => entry.response.startsWith('250'))).toBe(true);

    // A second run sends nothing new and does not log "no address" again.
    const again = await run(setupDone, smtpAt(mail.port));
    expect(mail.received).toHaveLength(3);
    expect(again.summary.sent).toEqual([]);
    expect(again.summary.alreadySent.map((item) => item.recipient)).toEqual([
      'ana-ruiz',
      'ben-ode',
      'dee-fox',
    ]);
    expect((await setupDone.log.events()).length).toBe(7);
    expect(summaryLines(again.summary)).toEqual([
      'sent: 0',
      'not sent: 4',
      `  copy 01 Ana Ruiz: already sent (${sent[0]?.at ?? ''})`,
      `  copy 02 Ben Ode: already sent (${sent[1]?.at ?? ''})`,
      `  copy 04 Dee Fox: already sent (${sent[2]?.at ?? ''})`,
      '  copy 03 Cy Lam: no address',
    ]);

    // --again sends to everyone with an address once more.
    const resend = await run(setupDone, smtpAt(mail.port), { again: true });
    expect(resend.summary.sent).toHaveLength(3);
    expect(mail.received).toHaveLength(6);
  });

  it('logs in with the password from the environment variable the config names', async () => {
    const mail = await server({
      authOptional: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'memos' && auth.password === 'correct horse')
          callback(null, { user: 'memos' });
        else callback(new Error('Invalid username or password'));
      },
    });
    const setupDone = await setup();
    const smtp = smtpAt(mail.port, { user: 'memos', passwordEnv: 'MEMO_SMTP_PASSWORD' });

    // Without the variable nothing is attempted, not even a connection, and nothing is logged.
    const missing = await run(setupDone, smtp, { env: { OTHER: 'x' } });
    expect(missing.messages).toEqual([
      'smtp-setup: nothing was sent: the mail server’s password is read from the environment variable `MEMO_SMTP_PASSWORD` (`smtp.passwordEnv`), which is not set; set it in the shell that runs memo',
    ]);
    expect(mail.connections).toBe(0);
    expect(await setupDone.log.events()).toEqual([]);

    const { summary } = await run(setupDone, smtp, {
      env: { MEMO_SMTP_PASSWORD: 'correct horse' },
    });
    expect(summary.sent).toHaveLength(3);
    expect(mail.logins).toEqual(['memos', 'memos', 'memos']);
  });

  it('an authentication failure fails each copy in plain words; a rerun with the right password sends them', async () => {
    const mail = await server({
      authOptional: false,
      onAuth(auth, _session, callback) {
        if (auth.password === 'right') callback(null, { user: 'memos' });
        else callback(new Error('Invalid username or password'));
      },
    });
    const setupDone = await setup();
    const smtp = smtpAt(mail.port, { user: 'memos', passwordEnv: 'PW' });
    const wrong = await run(setupDone, smtp, { env: { PW: 'wrong' } });
    expect(mail.received).toEqual([]);
    expect(wrong.summary.failed.map((item) => item.detail)).toEqual(
      Array(3).fill(
        'the mail server refused the login of `memos`: check `smtp.user` and the password in `PW` (535 Invalid username or password)',
      ),
    );
    expect(wrong.messages[0]).toBe(
      'delivery-failed: copy 01 (Ana Ruiz) was not sent to ana@nsc.example: the mail server refused the login of `memos`: check `smtp.user` and the password in `PW` (535 Invalid username or password); sending again (`--send`) tries only the copies not yet sent',
    );
    const failed = (await setupDone.log.entries()).filter((entry) => entry.event === 'failed');
    expect(failed.map((entry) => entry.response)).toEqual(
      Array(3).fill('535 Invalid username or password'),
    );

    const right = await run(setupDone, smtp, { env: { PW: 'right' } });
    expect(right.messages).toEqual([]);
    expect(sentTo(mail)).toEqual(['ana@nsc.example', 'ben@state.example', 'dee@state.example']);
  });

  it('a refused connection fails each copy; a rerun once the server is up sends them', async () => {
    const setupDone = await setup();
    const port = await closedPort();
    const refused = await run(setupDone, smtpAt(port));
    expect(refused.summary.failed).toHaveLength(3);
    expect(refused.summary.failed[0]?.detail).toBe(
      `could not connect to the mail server 127.0.0.1:${String(port)}: the connection was refused; check \`smtp.host\` and \`smtp.port\`, and that the server is running`,
    );
    expect(refused.summary.noAddress).toHaveLength(1);

    const mail = await server();
    const { summary } = await run(setupDone, smtpAt(mail.port));
    expect(summary.sent).toHaveLength(3);
    expect(sentTo(mail)).toEqual(['ana@nsc.example', 'ben@state.example', 'dee@state.example']);
    expect(
      (await setupDone.log.events()).filter((event) => event === 'not-sent cy-lam'),
    ).toHaveLength(1);
  });

  it('a recipient the server rejects (550) fails alone; the others are sent; a rerun sends only that one', async () => {
    let reject = true;
    const mail = await server({
      onRcptTo(address, _session, callback) {
        if (reject && address.address === 'ben@state.example')
          callback(
            Object.assign(new Error('5.1.1 <ben@state.example>: no such user'), {
              responseCode: 550,
            }),
          );
        else callback();
      },
    });
    const setupDone = await setup();
    const first = await run(setupDone, smtpAt(mail.port));
    expect(sentTo(mail)).toEqual(['ana@nsc.example', 'dee@state.example']);
    expect(first.summary.failed).toEqual([
      {
        copy: 2,
        recipient: 'ben-ode',
        name: 'Ben Ode',
        to: 'ben@state.example',
        detail:
          'the mail server refused the address ben@state.example (550 5.1.1 <ben@state.example>: no such user)',
      },
    ]);
    const failed = (await setupDone.log.entries()).find((entry) => entry.event === 'failed');
    expect(failed).toMatchObject({
      recipient: 'ben-ode',
      response: '550 5.1.1 <ben@state.example>: no such user',
    });

    reject = false;
    const second = await run(setupDone, smtpAt(mail.port));
    expect(second.summary.sent.map((item) => item.recipient)).toEqual(['ben-ode']);
    expect(sentTo(mail)).toEqual(['ana@nsc.example', 'dee@state.example', 'ben@state.example']);
  });

  it('a connection dropped mid-message fails that copy only; a rerun sends it', async () => {
    let drop = true;
    const chunks: Buffer[] = [];
    const mail: MailServer = await server({
      onData(stream, session, callback) {
        stream.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (drop && session.envelope.rcptTo[0]?.address === 'ana@nsc.example')
            mail.dropConnections();
        });
        stream.on('end', () => {
          mail.received.push({
            secure: session.secure,
            from: 'memos@policy.example',
            to: session.envelope.rcptTo.map((address) => address.address),
            raw: Buffer.concat(chunks.splice(0)),
          });
          callback(null, 'queued');
        });
      },
    });
    const setupDone = await setup();
    const first = await run(setupDone, smtpAt(mail.port));
    expect(first.summary.failed.map((item) => [item.recipient, item.detail])).toEqual([
      [
        'ana-ruiz',
        `the connection to the mail server 127.0.0.1:${String(mail.port)} was dropped before it confirmed the message, which was probably not delivered`,
      ],
    ]);
    expect(sentTo(mail)).toEqual(['ben@state.example', 'dee@state.example']);

    drop = false;
    chunks.length = 0;
    const second = await run(setupDone, smtpAt(mail.port));
    expect(second.summary.sent.map((item) => item.recipient)).toEqual(['ana-ruiz']);
    const last = mail.received.at(-1);
    if (last === undefined) throw new Error('nothing received');
    const parsed = await parse(last);
    expect(
      parsed.attachments[0]?.content.equals(await readFile(setupDone.copies[0]?.path ?? '')),
    ).toBe(true);
  });

  it('--dry-run writes each message as .eml beside its copy, sends nothing, and does not count as sent', async () => {
    const mail = await server();
    const setupDone = await setup();
    // A dry run needs no password: only `from`.
    const smtp = smtpAt(mail.port, { user: 'memos', passwordEnv: 'UNSET_PASSWORD' });
    const dry = await run(setupDone, smtp, { dryRun: true });
    expect(dry.messages).toEqual([]);
    expect(mail.connections).toBe(0);
    expect(dry.summary.written.map((item) => item.detail)).toEqual([
      'copy-01-ana-ruiz.eml',
      'copy-02-ben-ode.eml',
      'copy-04-dee-fox.eml',
    ]);
    const eml = await readFile(path.join(setupDone.folder, 'copy-04-dee-fox.eml'));
    const parsed = await simpleParser(eml);
    expect(parsed.subject).toBe(
      '[UNCLASSIFIED//FOUO] Water & power on the border <script>alert(1)</script> (version 2, copy 04)',
    );
    expect(parsed.from?.value).toEqual([
      { name: 'Policy Office', address: 'memos@policy.example' },
    ]);
    const copy = setupDone.copies[3];
    expect(sha256(parsed.attachments[0]?.content ?? Buffer.alloc(0))).toBe(copy?.sha256);
    expect(await setupDone.log.events()).toEqual([
      'dry-run ana-ruiz',
      'dry-run ben-ode',
      'not-sent cy-lam',
      'dry-run dee-fox',
    ]);

    const real = await run(setupDone, smtpAt(mail.port));
    expect(real.summary.sent).toHaveLength(3);
  });

  it('a send cut off by Ctrl-C stays "unknown": never resent without again, resent with it', async () => {
    const controller = new AbortController();
    const mail = await server({
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          // Ben's message is taken and never answered: the run is stopped meanwhile.
          if (session.envelope.rcptTo[0]?.address === 'ben@state.example') controller.abort();
          else callback(null, 'queued');
        });
      },
    });
    const setupDone = await setup();
    const stopped = await run(setupDone, smtpAt(mail.port), { signal: controller.signal });
    expect(stopped.summary.stopped).toBe(true);
    expect(stopped.summary.unknown.map((item) => item.recipient)).toEqual(['ben-ode']);
    expect(stopped.messages).toEqual([
      'delivery-unknown: copy 02 (Ben Ode): unknown whether it reached ben@state.example: the run was stopped while sending it; ask the recipient, and if it did not arrive send it once more with `--to ben-ode --send --again`',
    ]);
    // Stopped at Ben: the log keeps his `sending`, and nothing after it was tried.
    expect(await setupDone.log.events()).toEqual([
      'sending ana-ruiz',
      'sent ana-ruiz',
      'sending ben-ode',
    ]);

    const accepting = await server();
    const rerun = await run(setupDone, smtpAt(accepting.port));
    expect(sentTo(accepting)).toEqual(['dee@state.example']);
    expect(rerun.summary.unknown.map((item) => item.recipient)).toEqual(['ben-ode']);
    expect(rerun.messages.filter((message) => message.startsWith('delivery-unknown'))).toHaveLength(
      1,
    );
    expect(summaryLines(rerun.summary)).toContain('  copy 02 Ben Ode: unknown, may have been sent');

    const again = await run(
      { ...setupDone, copies: setupDone.copies.filter((copy) => copy.recipient === 'ben-ode') },
      smtpAt(accepting.port),
      { again: true },
    );
    expect(again.summary.sent.map((item) => item.recipient)).toEqual(['ben-ode']);
  });

  it('a crash after "sending" (no outcome in the log) is reported, not resent', async () => {
    const mail = await server();
    const setupDone = await setup();
    await setupDone.log.append([
      {
        event: 'sending',
        copy: 1,
        recipient: 'ana-ruiz',
        to: 'ana@nsc.example',
        at: '2026-03-02T08:00:00.000Z',
      },
    ]);
    const { summary, messages } = await run(setupDone, smtpAt(mail.port));
    expect(sentTo(mail)).toEqual(['ben@state.example', 'dee@state.example']);
    expect(summary.unknown.map((item) => item.detail)).toEqual(['2026-03-02T08:00:00.000Z']);
    expect(messages).toEqual([
      'delivery-unknown: copy 01 (Ana Ruiz): unknown whether it reached ana@nsc.example: a run started sending it at 2026-03-02T08:00:00.000Z and stopped before the server answered; ask the recipient, and if it did not arrive send it once more with `--to ana-ruiz --send --again`',
    ]);
  });

  it('a copy changed after it was made is not sent', async () => {
    const mail = await server();
    const setupDone = await setup();
    const copy = setupDone.copies[1];
    if (copy === undefined) throw new Error('no copy');
    await writeFile(
      copy.path,
      Buffer.concat([await readFile(copy.path), Buffer.from('\n% changed\n')]),
    );
    const { summary } = await run(setupDone, smtpAt(mail.port));
    expect(summary.failed.map((item) => item.detail)).toEqual([
      'the copy copy-02-ben-ode.pdf was changed after it was made (its SHA-256 is not the one in the log), so it was not sent; make the copies again with `memo distribute`',
    ]);
    expect(sentTo(mail)).toEqual(['ana@nsc.example', 'dee@state.example']);
  });

  it('with secure: false, STARTTLS offered by a server whose certificate is not trusted sends nothing in clear', async () => {
    const mail = await server({ offerStartTls: true });
    const setupDone = await setup();
    const { summary } = await run(setupDone, smtpAt(mail.port));
    expect(mail.received).toEqual([]);
    expect(summary.failed).toHaveLength(3);
    expect(summary.failed[0]?.detail).toMatch(
      /^the mail server’s certificate is not trusted \(.+\): nothing was sent over an unchecked connection/,
    );
  });

  it('secure: true against a server without TLS says to set secure to false', async () => {
    const mail = await server();
    const setupDone = await setup();
    const { summary } = await run(setupDone, smtpAt(mail.port, { secure: true }));
    expect(mail.received).toEqual([]);
    expect(summary.failed[0]?.detail).toBe(
      `the mail server 127.0.0.1:${String(mail.port)} does not start with TLS: set \`smtp.secure\` to false (it then uses STARTTLS when the server offers it), or use the server's TLS port, usually 465`,
    );
  });

  it('without an smtp config nothing is sent and the message says what to add', async () => {
    const setupDone = await setup();
    const { summary, messages } = await run(setupDone, undefined);
    expect(summary.sent).toEqual([]);
    expect(messages).toEqual([
      'smtp-setup: nothing can be e-mailed: the config has no `smtp` section; add one with the mail server’s `host`, `port` and `from` (see docs/delivery.md)',
    ]);
    expect(await setupDone.log.events()).toEqual([]);
  });
});
